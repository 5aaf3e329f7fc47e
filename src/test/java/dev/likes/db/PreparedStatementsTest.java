package dev.likes.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The pool's connections keep long statements prepared (the click statements have up to 4,600
 * characters of SQL): run twice, such a statement is one named statement of the session, parsed once,
 * not a new unnamed one per run. PostgreSQL lists a session's named statements in pg_prepared_statements.
 */
@QuarkusTest
class PreparedStatementsTest {

    @Inject
    Pool pool;

    @Test
    void aStatementOfFourThousandCharactersStaysPrepared() {
        String sql = "SELECT $1::integer" + " + 0".repeat(1000) + " AS answer";
        assertTrue(sql.length() > 4000 && sql.length() <= DatabaseOptions.PREPARED_SQL_LIMIT);
        SqlConnection connection = pool.getConnection().await().indefinitely();
        try {
            for (int run = 1; run <= 2; run++) {
                int answer = connection.preparedQuery(sql).execute(Tuple.of(run)).await().indefinitely()
                        .iterator().next().getInteger("answer");
                assertEquals(run, answer);
            }
            long prepared = connection.preparedQuery("SELECT count(*) AS n FROM pg_prepared_statements WHERE statement = $1")
                    .execute(Tuple.of(sql)).await().indefinitely().iterator().next().getLong("n");
            assertEquals(1, prepared, "the long statement as a named statement of the session");
        } finally {
            connection.close().await().indefinitely();
        }
    }
}
