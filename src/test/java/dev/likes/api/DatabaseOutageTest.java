package dev.likes.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletionException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.likes.db.NotPrimaryException;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;

/** Which failures are outages (503, retry) and which are bugs (500): a pure rule, no database. */
class DatabaseOutageTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "25006", // a write on a server in recovery: a failover under way
            "57P01", // admin shutdown: a switchover or a restart
            "57P02", // crash shutdown
            "57P03", // cannot connect now: starting up, or in recovery
            "08006", // connection failure
            "40001", "40P01", // lost races, retried
            "53300"}) // too many connections
    void failoverErrorsAreOutages(String sqlState) {
        PgException failure = new PgException("failover", "ERROR", sqlState, null);
        assertTrue(DatabaseOutage.isOutage(failure), sqlState);
        assertTrue(DatabaseOutage.isOutage(new CompletionException(failure)), sqlState + " as a cause");
    }

    @org.junit.jupiter.api.Test
    void aWriteThatReachedAServerInRecoveryIsAnOutage() {
        // The toggle limits' unlogged table cannot be read during recovery: 0A000, seen by Writes as "not the primary".
        PgException failure = new PgException("cannot access temporary or unlogged relations during recovery", "ERROR", "0A000", null);
        assertFalse(DatabaseOutage.isOutage(failure), "alone it says nothing of a failover");
        assertTrue(DatabaseOutage.isOutage(new NotPrimaryException(failure)));
    }

    @org.junit.jupiter.api.Test
    void aCitusSessionWhoseCoordinatorDiedIsAnOutageButOtherInternalErrorsAreNot() {
        assertTrue(DatabaseOutage.isOutage(new PgException("postmaster was shut down, exiting", "ERROR", "XX000", null)));
        assertFalse(DatabaseOutage.isOutage(new PgException("could not find tuple", "ERROR", "XX000", null)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"23505", "42P01", "22P02", "25001"})
    void refusedStatementsAreNot(String sqlState) {
        assertFalse(DatabaseOutage.isOutage(new PgException("bug", "ERROR", sqlState, null)), sqlState);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Connection reset", "Timeout waiting for connection"})
    void aConnectionLostMidStatementIsAnOutage(String message) {
        assertTrue(DatabaseOutage.isOutage(new VertxException(message, true)));
    }
}
