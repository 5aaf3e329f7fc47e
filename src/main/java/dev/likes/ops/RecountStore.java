package dev.likes.ops;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.likes.counting.CountMoves;
import dev.likes.db.LostRace;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Owns the recount SQL: compares counters with their like rows a batch of items at a time, and
 * fixes them without losing a click that arrives meanwhile. A recount runs on a connection of its own
 * that holds the recount lock (see {@link RecountService}), so every statement here takes it.
 */
@ApplicationScoped
public class RecountStore {

    /** The next items after $1 in id order: every item with a counter or with like rows. */
    static final String NEXT_ITEMS = """
            SELECT item_id FROM (
                (SELECT item_id FROM like_counts WHERE item_id > $1 ORDER BY item_id LIMIT $2)
                UNION
                (SELECT DISTINCT item_id FROM likes WHERE item_id > $1 ORDER BY item_id LIMIT $2)
            ) AS items
            ORDER BY item_id
            LIMIT $2
            """;

    /** An item's hot score recounted from its rows, in its counter {@code c}'s frame (V7__hot_ranking.sql); the tests' drift check uses it too. */
    public static final String HOT_ROWS = """
            (SELECT coalesce(sum(likes_hot_term(l.created_at, c.hot_base, c.hot_half_life)), 0) FROM likes l WHERE l.item_id = c.item_id)""";

    /**
     * Counters against like rows, in one snapshot. No lock is needed to look: every committed click
     * moved its rows and its counter together, so a snapshot shows both or neither. (A join on the
     * item id, so that Citus runs it on each shard group of the batch: see docs/citus.md.) A counter
     * whose count is right but whose hot score is not is reported with its count on both sides.
     */
    static final String CHECK = """
            SELECT coalesce(c.item_id, l.item_id) AS item_id, c.likes AS counter, coalesce(l.n, 0) AS like_rows
            FROM (SELECT item_id, likes FROM like_counts WHERE item_id = ANY($1::varchar[])) c
            FULL JOIN (SELECT item_id, count(*) AS n FROM likes WHERE item_id = ANY($1::varchar[]) GROUP BY item_id) l
                ON l.item_id = c.item_id
            WHERE c.likes IS DISTINCT FROM coalesce(l.n, 0) AND NOT (c.likes IS NULL AND coalesce(l.n, 0) = 0)
            UNION ALL
            SELECT c.item_id, c.likes, c.likes FROM like_counts c
            WHERE c.item_id = ANY($1::varchar[]) AND c.hot <> %s
            """.formatted(HOT_ROWS);

    /**
     * Holds every counter of the batch until the fix commits, creating the missing ones (at 0 for
     * now): one pass in id order, the order in which click statements take counters too, so that
     * neither side can deadlock the other. {@code added} tells which counters were missing.
     */
    static final String CLAIM = """
            INSERT INTO like_counts AS c (item_id, likes, hot_base, hot_half_life)
            SELECT item_id, 0, f.base, f.half_life FROM unnest($1::varchar[]) AS ids(item_id) CROSS JOIN %s f
            ORDER BY item_id COLLATE "C"
            ON CONFLICT (item_id) DO UPDATE SET likes = c.likes
            RETURNING c.item_id, c.xmax = 0 AS added
            """.formatted(CountMoves.NEWEST_FRAME);

    /**
     * Runs after CLAIM, so on a snapshot taken once the counters were held: it sees every click that
     * committed before, and every click still under way moves the fixed counter after the commit.
     */
    static final String FIX = """
            WITH counted AS (
                SELECT c.item_id, c.likes AS counter,
                       (SELECT count(*) FROM likes l WHERE l.item_id = c.item_id) AS like_rows,
                       %s AS hot_rows
                FROM like_counts c WHERE c.item_id = ANY($1::varchar[])
            )
            UPDATE like_counts AS c SET likes = counted.like_rows, hot = counted.hot_rows
            FROM counted
            WHERE c.item_id = counted.item_id AND (c.likes <> counted.like_rows OR c.hot <> counted.hot_rows)
            RETURNING c.item_id, counted.counter, counted.like_rows
            """.formatted(HOT_ROWS);

    /**
     * The recount's view of suspended users: their likes held out of every count (not drift), and
     * likes of theirs still counted once their suspension was worked off (drift: always 0 unless a
     * row was written behind the service's back). The running suspensions are read first, as a CTE:
     * on Citus, lifecycle_jobs stays on the coordinator and cannot be joined with the likes.
     */
    static final String SUSPENDED = """
            WITH suspending AS (SELECT subject FROM lifecycle_jobs WHERE kind = 'suspend-user' AND state = 'running')
            SELECT (SELECT count(*) FROM suspended_likes) AS held,
                   (SELECT count(*) FROM suspended_users s JOIN likes l ON l.user_id = s.user_id
                    WHERE s.user_id NOT IN (SELECT subject FROM suspending)) AS counted
            """;

    /** Up to {@code count} item ids after {@code after} ("" for the start), in id order. */
    Uni<List<String>> nextItems(SqlConnection connection, String after, int count) {
        return connection.preparedQuery(NEXT_ITEMS).execute(Tuple.of(after, count)).map(rows -> {
            List<String> ids = new ArrayList<>(rows.size());
            rows.forEach(row -> ids.add(row.getString(0)));
            return ids;
        });
    }

    /** The items among {@code ids} whose counter disagrees with their like rows; changes nothing. */
    Uni<List<CounterDrift>> check(SqlConnection connection, List<String> ids) {
        return connection.preparedQuery(CHECK).execute(Tuple.of(ids.toArray(new String[0])))
                .map(rows -> drifts(rows, Set.of()));
    }

    /** Sets every counter among {@code ids} to its number of like rows; answers what it changed. */
    Uni<List<CounterDrift>> repair(SqlConnection connection, List<String> ids) {
        Tuple batch = Tuple.of(ids.toArray(new String[0]));
        return Uni.createFrom().deferred(() -> connection.begin().flatMap(transaction -> repair(connection, batch)
                        .call(transaction::commit)
                        .onFailure().call(failure -> transaction.rollback().onFailure().recoverWithNull())))
                .onFailure(LostRace::is).retry().atMost(3);
    }

    private static Uni<List<CounterDrift>> repair(SqlConnection connection, Tuple batch) {
        return connection.preparedQuery(CLAIM).execute(batch).flatMap(claimed -> {
            Set<String> missing = new HashSet<>();
            claimed.forEach(row -> {
                if (row.getBoolean("added")) {
                    missing.add(row.getString("item_id"));
                }
            });
            return connection.preparedQuery(FIX).execute(batch).map(fixed -> drifts(fixed, missing));
        });
    }

    /** Rows of (item_id, counter, like_rows); a counter this recount had to create is reported as missing. */
    private static List<CounterDrift> drifts(RowSet<Row> rows, Set<String> missing) {
        List<CounterDrift> drifts = new ArrayList<>(rows.size());
        for (Row row : rows) {
            String itemId = row.getString("item_id");
            Long counter = missing.contains(itemId) ? null : row.getLong("counter");
            drifts.add(new CounterDrift(itemId, counter, row.getLong("like_rows")));
        }
        return drifts;
    }
}
