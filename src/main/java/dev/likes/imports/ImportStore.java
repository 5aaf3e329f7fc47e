package dev.likes.imports;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.likes.counting.CountMoves;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Owns the import SQL (V8__imports.sql): an import's record, and the batch statement that loads
 * likes with their own times and moves their counts as the lifecycle's restores do
 * ({@link CountMoves#restoring}), recording the batch done in that same statement.
 */
@ApplicationScoped
public class ImportStore {

    /** $1 the import, $2 its source, $3 the batch size a new import takes; answers the one it has. */
    static final String BEGIN = """
            WITH created AS (
                INSERT INTO like_imports (name, source, batch_size) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING RETURNING batch_size
            )
            SELECT batch_size FROM created UNION ALL SELECT batch_size FROM like_imports WHERE name = $1
            """;

    /** The batches of import $1 already done, and their rows. */
    static final String DONE = "SELECT batch, rows FROM like_import_batches WHERE name = $1 ORDER BY batch";

    /**
     * $1 item ids, $2 user ids, $3 times: the batch's likes, in source order; $4 the current time (for
     * the windows); $5 the import, $6 the batch's number, $7 its source rows (bad ones included). A
     * (user, item) given twice in a batch counts once, at its first time; a like already there (an
     * earlier batch, a click) is left as it is; likes of removed items and suspended users are not
     * loaded (barred). The items it changed are recorded for the closing drift check, and the batch as
     * done: a batch some other run has done (or is doing) fails on its key, and nothing of it stays.
     */
    static final String LOAD = """
            WITH given AS (
                SELECT DISTINCT ON (item_id, user_id) item_id, user_id, created_at
                FROM unnest($1::varchar[], $2::varchar[], $3::timestamptz[]) WITH ORDINALITY AS g(item_id, user_id, created_at, position)
                ORDER BY item_id, user_id, position
            ), kept AS (
                SELECT item_id, user_id, created_at FROM given g
                WHERE NOT EXISTS (SELECT 1 FROM removed_items r WHERE r.item_id = g.item_id)
                  AND NOT EXISTS (SELECT 1 FROM suspended_users s WHERE s.user_id = g.user_id)
            )
            %s
            , touched AS (
                INSERT INTO like_import_items (name, item_id) SELECT DISTINCT $5, item_id FROM changed
                ON CONFLICT DO NOTHING
            ), done AS (
                INSERT INTO like_import_batches (name, batch, rows, loaded, barred)
                SELECT $5, $6, $7, (SELECT count(*) FROM changed), (SELECT count(*) FROM given) - (SELECT count(*) FROM kept)
                RETURNING loaded, barred
            )
            SELECT loaded, barred, (SELECT coalesce(array_agg(DISTINCT item_id), '{}') FROM changed) AS items FROM done
            """.formatted(CountMoves.restoring("kept", "$4"));

    static final String TOUCHED = "SELECT item_id FROM like_import_items WHERE name = $1 AND item_id > $2 ORDER BY item_id LIMIT $3";

    private final Pool pool;

    public ImportStore(Pool pool) {
        this.pool = pool;
    }

    /** Records the import if it is new; answers its batch size and the batches it has done. */
    Uni<Plan> begin(String name, String source, int batchSize) {
        return pool.preparedQuery(BEGIN).execute(Tuple.of(name, source, batchSize))
                .map(rows -> rows.iterator().next().getInteger("batch_size"))
                .flatMap(size -> pool.preparedQuery(DONE).execute(Tuple.of(name)).map(rows -> {
                    Map<Long, Integer> done = new HashMap<>();
                    rows.forEach(row -> done.put(row.getLong("batch"), row.getInteger("rows")));
                    return new Plan(size, done);
                }));
    }

    /** Loads batch {@code batch} of the import ({@code rows} source rows, of which {@code likes} are likes) and records it done. */
    Uni<Loaded> load(String name, long batch, int rows, List<SourceRow.Good> likes, OffsetDateTime now) {
        String[] items = new String[likes.size()];
        String[] users = new String[likes.size()];
        OffsetDateTime[] times = new OffsetDateTime[likes.size()];
        for (int i = 0; i < likes.size(); i++) {
            items[i] = likes.get(i).itemId();
            users[i] = likes.get(i).userId();
            times[i] = likes.get(i).createdAt();
        }
        return pool.preparedQuery(LOAD).execute(Tuple.from(List.of(items, users, times, now, name, batch, rows))).map(result -> {
            Row row = result.iterator().next();
            return new Loaded(row.getInteger("loaded"), row.getInteger("barred"), List.of(row.getArrayOfStrings("items")));
        });
    }

    /** Up to {@code count} of the items the import changed, after {@code after}, in id order. */
    Uni<List<String>> touched(String name, String after, int count) {
        return pool.preparedQuery(TOUCHED).execute(Tuple.of(name, after, count)).map(rows -> {
            List<String> ids = new ArrayList<>(rows.size());
            rows.forEach(row -> ids.add(row.getString(0)));
            return ids;
        });
    }

    /** What a batch did: likes loaded, likes barred (removed items, suspended users), the items changed. */
    record Loaded(long loaded, long barred, List<String> items) {
    }

    /** An import's batch size, and its batches done (by number, with their source rows). */
    record Plan(int batchSize, Map<Long, Integer> done) {

        /** The batches from 0 that are all done: a source can skip their rows unread. */
        long donePrefix() {
            long prefix = 0;
            while (done.containsKey(prefix)) {
                prefix++;
            }
            return prefix;
        }

        long rowsDone() {
            return done.values().stream().mapToLong(Integer::longValue).sum();
        }
    }
}
