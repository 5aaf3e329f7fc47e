package dev.likes.db;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.sqlclient.SqlConnectOptions;

/**
 * Which statements a connection keeps prepared (parsed once, then only bound and run on later
 * calls): Vert.x' own rule, SQL of up to 2,048 characters, and the longer statements a store names
 * here. Those are the click statements (2,862 to 4,896 characters, dev.likes.likes.ClickStatement):
 * unprepared, every batch cost a round trip of its own to parse and describe the statement before
 * the one that ran it, and PostgreSQL parsed and planned it anew each time (docs/performance.md, "CPU
 * per click"). Other long statements stay unprepared, as they were, on purpose: after five runs
 * PostgreSQL may plan a kept statement once for any parameters (a generic plan), and where the rows a
 * statement touches vary by orders of magnitude from one run to the next (a lifecycle step, a
 * recount, an import) that plan can be far worse than one made for the parameters at hand. The click
 * statements go key by key through unique keys; kept, they were measured cheaper on both sides.
 */
public final class PreparedStatements {

    private static final Set<String> LONG_KEPT = ConcurrentHashMap.newKeySet();

    private PreparedStatements() {
    }

    /** Names {@code sql} a statement for connections to keep prepared however long it is; returns it. */
    public static String keep(String sql) {
        LONG_KEPT.add(sql);
        return sql;
    }

    /** Whether connections keep {@code sql} prepared. */
    public static boolean kept(String sql) {
        return sql.length() <= SqlConnectOptions.DEFAULT_PREPARED_STATEMENT_CACHE_SQL_LIMIT || LONG_KEPT.contains(sql);
    }
}
