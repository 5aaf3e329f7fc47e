package dev.likes.db;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.sqlclient.DatabaseException;

/**
 * Runs a write statement on a pooled connection to the primary. During a failover a pooled
 * connection may reach a server that is not the primary (yet): the write then fails, as read-only
 * (SQLSTATE 25006) or, for the toggle limits' unlogged table, as not accessible during recovery
 * (0A000). On a failed write the connection is asked whether its server is in recovery; if it is,
 * the connection's session is ended, so that the pool drops it and its next connection goes where
 * the primary is now, and the caller gets a {@link NotPrimaryException} (a 503, retried).
 */
public final class Writes {

    /** A write on a server that is read-only. */
    public static final String READ_ONLY_TRANSACTION = "25006";
    /** Among others, an unlogged table touched during recovery. */
    static final String FEATURE_NOT_SUPPORTED = "0A000";

    private Writes() {
    }

    public static Uni<RowSet<Row>> execute(Pool pool, String sql, Tuple arguments) {
        return pool.withConnection(connection -> execute(connection, sql, arguments));
    }

    /** The same, on a pool or a connection of the caller's (the leader's fenced pool, say). */
    public static Uni<RowSet<Row>> execute(SqlClient client, String sql, Tuple arguments) {
        if (client instanceof Pool pool) {
            return execute(pool, sql, arguments);
        }
        SqlConnection connection = (SqlConnection) client;
        return connection.preparedQuery(sql).execute(arguments)
                .onFailure(Writes::mayBeInRecovery).recoverWithUni(failure -> notPrimary(connection, failure));
    }

    /** The failures a server in recovery gives a write; any other (a lost race, say) costs no extra query. */
    private static boolean mayBeInRecovery(Throwable failure) {
        return failure instanceof DatabaseException db
                && (READ_ONLY_TRANSACTION.equals(db.getSqlState()) || FEATURE_NOT_SUPPORTED.equals(db.getSqlState()));
    }

    private static Uni<RowSet<Row>> notPrimary(SqlConnection connection, Throwable failure) {
        return connection.query(InRecovery.QUERY).execute()
                .onFailure().recoverWithNull()
                .flatMap(rows -> rows != null && InRecovery.of(rows.getDelegate())
                        ? connection.query(InRecovery.END_SESSION).execute().onFailure().recoverWithNull()
                                .onItem().failWith(ended -> new NotPrimaryException(failure))
                        : Uni.createFrom().failure(failure));
    }
}
