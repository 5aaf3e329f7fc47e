package dev.likes.db;

import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;

/**
 * Tells a primary from a server in recovery (a standby, or a primary still replaying its log after a
 * crash), where nothing can be written, LISTEN refused and an advisory lock means nothing to the
 * primary's sessions.
 */
final class InRecovery {

    static final String QUERY = "SELECT pg_is_in_recovery()";
    static final String END_SESSION = "SELECT pg_terminate_backend(pg_backend_pid())";

    private InRecovery() {
    }

    static boolean of(RowSet<Row> rows) {
        return rows.iterator().next().getBoolean(0);
    }

    /**
     * Ends the connection's server session, so that the connection is closed for good (a pooled
     * connection's close() only hands it back to its pool).
     */
    static void endSession(SqlConnection connection) {
        connection.query(END_SESSION).execute()
                .onComplete(ended -> connection.close());
    }
}
