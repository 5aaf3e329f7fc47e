package dev.likes.support;

import java.util.LinkedHashMap;
import java.util.Map;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A write statement run under EXPLAIN ANALYZE and rolled back, and what its plan did: the figures
 * PostgreSQL counted as it ran, not its estimates.
 */
public final class Plans {

    private Plans() {
    }

    /** The top node of the plan that running {@code sql} with {@code parameters} took; nothing it wrote stays. */
    public static JsonObject explainRolledBack(Pool pool, String sql, Tuple parameters) {
        JsonArray plan = pool.withConnection(connection -> connection.begin().flatMap(transaction -> connection
                .preparedQuery("EXPLAIN (ANALYZE, FORMAT JSON) " + sql).execute(parameters)
                .onItem().transform(rows -> (JsonArray) rows.iterator().next().getValue(0))
                .call(ignored -> transaction.rollback())))
                .await().indefinitely();
        return plan.getJsonObject(0).getJsonObject("Plan");
    }

    /**
     * The rows the plan's joins read and threw away, over all their loops: what a nested loop of one
     * relation over another costs beyond the rows it keeps.
     */
    public static long filteredByJoins(JsonObject node) {
        return filteringJoins(node).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Each join that threw rows away (its type and filter), with how many it threw away. */
    public static Map<String, Long> filteringJoins(JsonObject node) {
        Map<String, Long> joins = new LinkedHashMap<>();
        collectFilteringJoins(node, joins);
        return joins;
    }

    private static void collectFilteringJoins(JsonObject node, Map<String, Long> joins) {
        long filtered = node.getLong("Rows Removed by Join Filter", 0L) * node.getLong("Actual Loops", 1L);
        if (filtered > 0) {
            joins.merge(node.getString("Node Type") + " on " + node.getString("Join Filter"), filtered, Long::sum);
        }
        JsonArray children = node.getJsonArray("Plans", new JsonArray());
        for (int i = 0; i < children.size(); i++) {
            collectFilteringJoins(children.getJsonObject(i), joins);
        }
    }

    /** The rows the plan's {@code operation} ("Insert", "Update", "Delete") of {@code table} wrote. */
    public static long written(JsonObject node, String operation, String table) {
        long own = "ModifyTable".equals(node.getString("Node Type")) && operation.equals(node.getString("Operation"))
                && table.equals(node.getString("Relation Name")) ? node.getLong("Actual Rows") : 0;
        JsonArray children = node.getJsonArray("Plans", new JsonArray());
        for (int i = 0; i < children.size(); i++) {
            own += written(children.getJsonObject(i), operation, table);
        }
        return own;
    }
}
