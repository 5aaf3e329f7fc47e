package dev.likes.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The pool's connections keep a long statement prepared when it is named for it, and only then: run
 * twice, a kept statement is one named statement of the session, parsed once; any other long one is
 * sent unnamed each time, as Vert.x does by itself. PostgreSQL lists a session's named statements in
 * pg_prepared_statements.
 */
@QuarkusTest
class PreparedStatementsTest {

    @Inject
    Pool pool;

    @Test
    void aLongStatementStaysPreparedOnlyWhenNamedForIt() {
        String kept = PreparedStatements.keep(longStatement("kept"));
        String other = longStatement("other");
        assertTrue(PreparedStatements.kept(kept));
        assertFalse(PreparedStatements.kept(other));
        SqlConnection connection = pool.getConnection().await().indefinitely();
        try {
            assertEquals(1, runTwiceAndCountPrepared(connection, kept), "the named statement, prepared once");
            assertEquals(0, runTwiceAndCountPrepared(connection, other), "the other one, never kept");
        } finally {
            connection.close().await().indefinitely();
        }
    }

    /** A statement of over 4,000 characters: longer than Vert.x keeps prepared by itself, as a click statement is. */
    private static String longStatement(String name) {
        return "SELECT $1::integer" + " + 0".repeat(1000) + " AS " + name;
    }

    private static long runTwiceAndCountPrepared(SqlConnection connection, String sql) {
        for (int run = 1; run <= 2; run++) {
            assertEquals(run, connection.preparedQuery(sql).execute(Tuple.of(run)).await().indefinitely().iterator().next().getInteger(0));
        }
        return connection.preparedQuery("SELECT count(*) FROM pg_prepared_statements WHERE statement = $1")
                .execute(Tuple.of(sql)).await().indefinitely().iterator().next().getLong(0);
    }
}
