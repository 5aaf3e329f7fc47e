package dev.likes.support;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

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

    public void clear() {
        update("TRUNCATE likes, like_counts");
    }

    public void update(String sql, Object... args) {
        pool.preparedQuery(sql).execute(Tuple.from(args)).await().indefinitely();
    }

    /** The item's counter, or null when it has no counter row. */
    public Long counter(String itemId) {
        var rows = pool.preparedQuery("SELECT likes FROM like_counts WHERE item_id = $1")
                .execute(Tuple.of(itemId)).await().indefinitely();
        return rows.size() == 0 ? null : rows.iterator().next().getLong(0);
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

    public String explain(String sql, Object... args) {
        StringBuilder plan = new StringBuilder();
        for (Row row : pool.preparedQuery("EXPLAIN " + sql).execute(Tuple.from(args)).await().indefinitely()) {
            plan.append(row.getString(0)).append('\n');
        }
        return plan.toString();
    }
}
