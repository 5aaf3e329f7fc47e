package dev.likes.support;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A write statement run under EXPLAIN ANALYZE and rolled back, and what its plan did: the figures
 * PostgreSQL counted as it ran, not its estimates.
 */
public final class Plans {

    private Plans() {
    }

    /**
     * How PostgreSQL plans a statement: for its parameters' values (as for a statement's first five runs,
     * and for EXPLAIN), or once for any values (a kept prepared statement may switch to that plan
     * after five runs: plan_cache_mode auto), knowing none of them. (For the click statements both
     * guess 10 elements of an unnested array; the limits, times and ids differ.)
     */
    public enum Planning { FOR_THE_VALUES, GENERIC }

    /**
     * The top node of the plan that running {@code sql} with {@code parameters} took, planned as
     * {@code planning} says; nothing it wrote stays.
     */
    public static JsonObject explainRolledBack(Pool pool, String sql, Tuple parameters, Planning planning) {
        JsonArray plan = pool.withConnection(connection -> connection.begin().flatMap(transaction -> {
            Uni<RowSet<Row>> explained = planning == Planning.FOR_THE_VALUES
                    ? connection.preparedQuery("EXPLAIN (ANALYZE, FORMAT JSON) " + sql).execute(parameters)
                    : connection.query("SET LOCAL plan_cache_mode = force_generic_plan").execute()
                            .flatMap(ignored -> connection.query("PREPARE plan_check AS " + sql).execute())
                            .flatMap(ignored -> connection.query("EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE plan_check(" + literals(parameters) + ")").execute());
            return explained.onItem().transform(rows -> (JsonArray) rows.iterator().next().getValue(0))
                    .call(ignored -> transaction.rollback())
                    // A prepared statement outlives the transaction; the connection goes back to the pool without it.
                    .call(ignored -> planning == Planning.GENERIC ? connection.query("DEALLOCATE plan_check").execute() : Uni.createFrom().voidItem());
        })).await().indefinitely();
        return plan.getJsonObject(0).getJsonObject("Plan");
    }

    /** The parameters as SQL literals: text, text arrays, integers and times, all a test's own values. */
    private static String literals(Tuple parameters) {
        List<String> literals = new ArrayList<>();
        for (int i = 0; i < parameters.size(); i++) {
            Object value = parameters.getValue(i);
            if (value instanceof String[] texts) {
                literals.add(Arrays.stream(texts).map(Plans::quoted).collect(Collectors.joining(", ", "ARRAY[", "]::varchar[]")));
            } else if (value instanceof String text) {
                literals.add(quoted(text));
            } else if (value instanceof OffsetDateTime time) {
                literals.add(quoted(time.toString()) + "::timestamptz");
            } else if (value instanceof Integer number) {
                literals.add(number.toString());
            } else {
                throw new IllegalArgumentException("no literal for " + value);
            }
        }
        return String.join(", ", literals);
    }

    private static String quoted(String text) {
        return "'" + text.replace("'", "''") + "'";
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
