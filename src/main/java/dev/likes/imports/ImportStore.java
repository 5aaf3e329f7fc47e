package dev.likes.imports;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.likes.counting.CountMoves;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Owns the import SQL (V8__imports.sql): an import's record, and the batch statement that loads
 * likes with their own times and moves their counts as the lifecycle's restores do
 * ({@link CountMoves#restoring}), in one transaction with the import's position.
 */
@ApplicationScoped
public class ImportStore {

    static final String BEGIN = """
            WITH created AS (
                INSERT INTO like_imports (name, source) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING position, loaded
            )
            SELECT position, loaded FROM created UNION ALL SELECT position, loaded FROM like_imports WHERE name = $1
            """;

    /** Holds the import's record for the batch's transaction: two runs of one import cannot both go on. */
    static final String HOLD = "SELECT position FROM like_imports WHERE name = $1 FOR UPDATE";

    /**
     * $1 item ids, $2 user ids, $3 times: the batch's likes, in source order; $4 the current time (for
     * the windows); $5 the import; $6 its position after the batch. A (user, item) given twice counts
     * once, at its first time; a like already there (an earlier run, a click) is left as it is; likes
     * of removed items and suspended users are not loaded (barred). The items it changed are recorded
     * for the closing drift check.
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
            ), moved AS (
                UPDATE like_imports SET position = $6, moved_at = now(),
                    loaded = loaded + (SELECT count(*) FROM changed),
                    barred = barred + (SELECT count(*) FROM given) - (SELECT count(*) FROM kept)
                WHERE name = $5
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM changed) AS loaded, (SELECT count(*) FROM given) - (SELECT count(*) FROM kept) AS barred,
                   (SELECT count(*) FROM moved) AS moved,
                   (SELECT coalesce(array_agg(DISTINCT item_id), '{}') FROM changed) AS items
            """.formatted(CountMoves.restoring("kept", "$4"));

    static final String TOUCHED = "SELECT item_id FROM like_import_items WHERE name = $1 AND item_id > $2 ORDER BY item_id LIMIT $3";

    private final Pool pool;

    public ImportStore(Pool pool) {
        this.pool = pool;
    }

    /** Records the import if it is new; answers how far it has come (0 for a new one). */
    Uni<Long> begin(String name, String source) {
        return pool.preparedQuery(BEGIN).execute(Tuple.of(name, source)).map(rows -> rows.iterator().next().getLong("position"));
    }

    /**
     * Loads one batch if the import is still at {@code from}, and moves it to {@code to}, in one
     * transaction. Fails when another run of it moved it meanwhile.
     */
    Uni<Loaded> load(String name, long from, long to, List<SourceRow.Good> likes, OffsetDateTime now) {
        String[] items = new String[likes.size()];
        String[] users = new String[likes.size()];
        OffsetDateTime[] times = new OffsetDateTime[likes.size()];
        for (int i = 0; i < likes.size(); i++) {
            items[i] = likes.get(i).itemId();
            users[i] = likes.get(i).userId();
            times[i] = likes.get(i).createdAt();
        }
        return pool.withTransaction(connection -> connection.preparedQuery(HOLD).execute(Tuple.of(name)).flatMap(held -> {
            long at = held.iterator().next().getLong(0);
            if (at != from) {
                throw new IllegalStateException("another run of import '" + name + "' moved it from row " + from + " to " + at);
            }
            return connection.preparedQuery(LOAD).execute(Tuple.from(List.of(items, users, times, now, name, to)));
        })).map(rows -> {
            Row row = rows.iterator().next();
            List<String> changed = List.of(row.getArrayOfStrings("items"));
            return new Loaded(row.getLong("loaded"), row.getLong("barred"), changed);
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
}
