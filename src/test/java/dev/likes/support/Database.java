package dev.likes.support;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.likes.ops.RecountStore;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Direct SQL for tests: what the tables really hold, independent of the API under test. */
@ApplicationScoped
public class Database {

    private final Pool pool;

    public Database(Pool pool) {
        this.pool = pool;
    }

    /** Empties every table, and lets the windows be aged from any time a test picks. */
    public void clear() {
        update("TRUNCATE likes, like_counts, like_buckets, removed_items, suspended_users, suspended_likes, lifecycle_jobs, like_events");
        // The hot ranking's newest frame back at the current minute (a test may have moved it years away).
        update("UPDATE like_hot SET base = floor(extract(epoch FROM now()) / 60)::bigint * 60, half_life = 21600, settled = true");
        update("UPDATE like_windows SET since = '2000-01-01T00:00:00Z'");
    }

    public void update(String sql, Object... args) {
        pool.preparedQuery(sql).execute(Tuple.from(args)).await().indefinitely();
    }

    /**
     * A large data set for a test, written in one transaction without the service's statement
     * timeout: how long seeding takes depends on the machine, not on the service.
     */
    public void seed(String sql, Object... args) {
        pool.withTransaction(connection -> connection.query("SET LOCAL statement_timeout = 0").execute()
                .flatMap(ignored -> connection.preparedQuery(sql).execute(Tuple.from(args))))
                .await().indefinitely();
    }

    /** The item's counter, or null when it has no counter row. */
    public Long counter(String itemId) {
        var rows = pool.preparedQuery("SELECT likes FROM like_counts WHERE item_id = $1")
                .execute(Tuple.of(itemId)).await().indefinitely();
        return rows.size() == 0 ? null : rows.iterator().next().getLong(0);
    }

    /** The single number a query answers. */
    public long count(String sql, Object... args) {
        return pool.preparedQuery(sql).execute(Tuple.from(args)).await().indefinitely().iterator().next().getLong(0);
    }

    /** The first column of every row {@code sql} answers, as text. */
    public List<String> rows(String sql, Object... args) {
        List<String> values = new ArrayList<>();
        for (Row row : pool.preparedQuery(sql).execute(Tuple.from(args)).await().indefinitely()) {
            values.add(String.valueOf(row.getValue(0)));
        }
        return values;
    }

    /**
     * The outbox of one world (items {@code world-*}), each item's events in their order, without the
     * world's prefix: by event id as one PostgreSQL orders them, or by item_seq as the Citus functions
     * do ({@code byItemSeq}, V11__citus_events.sql; there the two orders must agree as well).
     */
    public List<String> outbox(String world, boolean byItemSeq) {
        String events = "SELECT substr(item_id, %1$d) || ' ' || type || ' ' || substr(user_id, %1$d) || ' ' || likes"
                + " FROM like_events WHERE item_id LIKE $1 ORDER BY substr(item_id, %1$d), %2$s";
        int from = world.length() + 2;
        List<String> outbox = rows(events.formatted(from, byItemSeq ? "item_seq" : "event_id"), world + "-%");
        if (byItemSeq) {
            if (!outbox.equals(rows(events.formatted(from, "event_id"), world + "-%"))) {
                throw new AssertionError("item_seq orders " + world + "'s events otherwise than their insertion");
            }
            long gaps = count("""
                    SELECT count(*) FROM (SELECT item_seq - lag(item_seq) OVER (PARTITION BY item_id ORDER BY item_seq) AS step
                                          FROM like_events WHERE item_id LIKE $1) s WHERE step <> 1""", world + "-%");
            if (gaps != 0) {
                throw new AssertionError(world + "'s item_seq has " + gaps + " gaps");
            }
        }
        return outbox;
    }

    public long likeRows(String itemId) {
        return pool.preparedQuery("SELECT count(*) FROM likes WHERE item_id = $1")
                .execute(Tuple.of(itemId)).await().indefinitely().iterator().next().getLong(0);
    }

    /** A summary of both tables that changes whenever a like row or a count does. */
    public String fingerprint() {
        Row row = pool.query("""
                SELECT (SELECT count(*) || '/' || coalesce(sum(hashtext(item_id || ' ' || user_id)), 0) FROM likes),
                       (SELECT count(*) || '/' || coalesce(sum(likes), 0) FROM like_counts)
                """).execute().await().indefinitely().iterator().next();
        return "likes " + row.getString(0) + ", counts " + row.getString(1);
    }

    /** Items whose counter differs from a recount of their like rows, with both figures. */
    public Map<String, String> drift() {
        var rows = pool.query("""
                SELECT coalesce(c.item_id, l.item_id) AS item_id, c.likes, coalesce(l.n, 0) AS rows
                FROM like_counts c
                FULL JOIN (SELECT item_id, count(*) AS n FROM likes GROUP BY item_id) l ON l.item_id = c.item_id
                WHERE coalesce(c.likes, -1) <> coalesce(l.n, 0)
                """).execute().await().indefinitely();
        Map<String, String> drift = new HashMap<>();
        for (Row row : rows) {
            drift.put(row.getString("item_id"), "counter " + row.getLong("likes") + ", rows " + row.getLong("rows"));
        }
        return drift;
    }

    /**
     * Items whose window counts differ from a recount of their like rows dated at or after each
     * window's since (a window counts whole minutes) or from the buckets each window counts, buckets
     * that differ from their rows, and hot scores that differ from the sum of their rows' terms.
     */
    public Map<String, String> windowDrift() {
        var rows = pool.query("""
                WITH w AS (SELECT max(since) FILTER (WHERE name = 'hour') AS hour,
                                  max(since) FILTER (WHERE name = 'day') AS day,
                                  max(since) FILTER (WHERE name = 'week') AS week FROM like_windows),
                rows AS (SELECT l.item_id,
                                count(*) FILTER (WHERE date_trunc('minute', l.created_at) >= w.hour) AS hour,
                                count(*) FILTER (WHERE date_trunc('minute', l.created_at) >= w.day) AS day,
                                count(*) FILTER (WHERE date_trunc('minute', l.created_at) >= w.week) AS week
                         FROM likes l, w GROUP BY l.item_id),
                buckets AS (SELECT b.item_id, b.minute, b.likes, count(l.user_id) AS n
                            FROM like_buckets b LEFT JOIN likes l
                              ON l.item_id = b.item_id AND date_trunc('minute', l.created_at) = b.minute
                            GROUP BY b.item_id, b.minute, b.likes)
                SELECT c.item_id, 'windows ' || c.likes_hour || '/' || c.likes_day || '/' || c.likes_week
                       || ', rows ' || coalesce(r.hour, 0) || '/' || coalesce(r.day, 0) || '/' || coalesce(r.week, 0) AS drift
                FROM like_counts c LEFT JOIN rows r USING (item_id)
                WHERE (c.likes_hour, c.likes_day, c.likes_week) <> (coalesce(r.hour, 0), coalesce(r.day, 0), coalesce(r.week, 0))
                UNION ALL
                SELECT c.item_id || ' buckets', 'windows ' || c.likes_hour || '/' || c.likes_day || '/' || c.likes_week
                       || ', buckets ' || coalesce(b.hour, 0) || '/' || coalesce(b.day, 0) || '/' || coalesce(b.week, 0)
                FROM like_counts c
                LEFT JOIN (SELECT item_id, sum(likes) FILTER (WHERE counted_in = 3) AS hour,
                                  sum(likes) FILTER (WHERE counted_in >= 2) AS day, sum(likes) AS week
                           FROM like_buckets GROUP BY item_id) b USING (item_id)
                WHERE (c.likes_hour, c.likes_day, c.likes_week) <> (coalesce(b.hour, 0), coalesce(b.day, 0), coalesce(b.week, 0))
                UNION ALL
                SELECT item_id || ' ' || minute, 'bucket ' || likes || ', rows ' || n FROM buckets WHERE likes <> n
                UNION ALL
                SELECT c.item_id || ' hot', 'hot ' || c.hot || ', rows ' || %s FROM like_counts c WHERE c.hot <> %s
                """.formatted(RecountStore.HOT_ROWS, RecountStore.HOT_ROWS)).execute().await().indefinitely();
        Map<String, String> drift = new HashMap<>();
        for (Row row : rows) {
            drift.put(row.getString(0), row.getString(1));
        }
        return drift;
    }

    public String explain(String sql, Object... args) {
        StringBuilder plan = new StringBuilder();
        for (Row row : pool.preparedQuery("EXPLAIN " + sql).execute(Tuple.from(args)).await().indefinitely()) {
            plan.append(row.getString(0)).append('\n');
        }
        return plan.toString();
    }
}
