package dev.likes.db;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Drops one known false alarm. While the database refuses connections, the Vert.x SQL pool (4.5)
 * fails a waiting request at once but leaves its acquire timer armed; when the timer fires it fails
 * the same promise again and Vert.x logs "Result is already complete" as an uncaught ERROR, with a
 * stack trace, for every request (eclipse-vertx/vertx-sql-client#1706). The request itself was
 * already answered 503 and logged.
 */
@LoggingFilter(name = "stale-pool-timer")
public final class StalePoolTimerFilter implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        return !isStaleTimer(record.getThrown());
    }

    static boolean isStaleTimer(Throwable thrown) {
        if (!(thrown instanceof IllegalStateException) || !"Result is already complete".equals(thrown.getMessage())) {
            return false;
        }
        StackTraceElement[] frames = thrown.getStackTrace();
        for (int i = 0; i < Math.min(3, frames.length); i++) {
            if (frames[i].getClassName().equals("io.vertx.sqlclient.impl.pool.SqlConnectionPool")) {
                return true;
            }
        }
        return false;
    }
}
