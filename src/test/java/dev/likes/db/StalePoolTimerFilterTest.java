package dev.likes.db;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

class StalePoolTimerFilterTest {

    final StalePoolTimerFilter filter = new StalePoolTimerFilter();

    @Test
    void thePoolsStaleTimerIsDropped() {
        assertFalse(filter.isLoggable(record(thrownAt("io.vertx.sqlclient.impl.pool.SqlConnectionPool", "Result is already complete"))));
    }

    @Test
    void everythingElseIsKept() {
        assertTrue(filter.isLoggable(record(thrownAt("dev.likes.likes.ClickQueue", "Result is already complete"))));
        assertTrue(filter.isLoggable(record(thrownAt("io.vertx.sqlclient.impl.pool.SqlConnectionPool", "something else"))));
        assertTrue(filter.isLoggable(record(new RuntimeException("Result is already complete"))));
        assertTrue(filter.isLoggable(new LogRecord(Level.INFO, "no exception")));
    }

    private static IllegalStateException thrownAt(String className, String message) {
        IllegalStateException thrown = new IllegalStateException(message);
        thrown.setStackTrace(new StackTraceElement[] {
                new StackTraceElement("io.vertx.core.Promise", "fail", "Promise.java", 90),
                new StackTraceElement(className, "lambda$execute$3", "X.java", 216)});
        return thrown;
    }

    private static LogRecord record(Throwable thrown) {
        LogRecord record = new LogRecord(Level.SEVERE, "Uncaught exception received by Vert.x");
        record.setThrown(thrown);
        return record;
    }
}
