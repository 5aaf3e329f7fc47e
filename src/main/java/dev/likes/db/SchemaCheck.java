package dev.likes.db;

import java.time.Duration;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.vertx.pgclient.PgException;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * With migrations as a step of their own ({@code LIKES_MIGRATE_AT_START=false}, which also leaves
 * Flyway and its JDBC connection out of the start), a replica checks at start, with one query on
 * its own pool, that the schema has every migration it was built for, and refuses to start
 * otherwise: started before the migration step finished, it would fail its first statements
 * instead. A schema ahead of it (a newer replica's step during a rolling update) is accepted, as
 * Flyway accepts it. A database that does not answer within {@link #WAIT} is not checked (the
 * service may start before its database; readiness says when it answers), with a warning.
 * (With migrations at start, Flyway validates as it migrates.)
 */
@ApplicationScoped
public class SchemaCheck {

    /** The latest migration this build carries (src/main/resources/db/migration; a test keeps it so). */
    static final int VERSION = 14;

    /** How long the check waits for the database before it lets the replica start unchecked. */
    static final Duration WAIT = Duration.ofSeconds(5);

    private static final Logger LOG = Logger.getLogger(SchemaCheck.class);

    /** The latest migration applied: Flyway's history, whose versions here are whole numbers. */
    static final String APPLIED = "SELECT coalesce(max(version::int), 0) AS version FROM flyway_schema_history WHERE success";

    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 2) StartupEvent start,
            @ConfigProperty(name = "quarkus.flyway.migrate-at-start") boolean migrateAtStart, Pool pool) {
        if (migrateAtStart) {
            return;
        }
        int applied;
        try {
            applied = pool.query(APPLIED).execute().await().atMost(WAIT).iterator().next().getInteger("version");
        } catch (RuntimeException failed) {
            PgException answered = answer(failed);
            if (answered == null) {
                LOG.warnf("The schema was not checked at start: the database did not answer (%s); with"
                        + " LIKES_MIGRATE_AT_START=false, make sure the migration step has run", failed.toString());
                return;
            }
            throw refusal("its migration history could not be read (" + answered.getMessage() + ")", failed);
        }
        if (applied < VERSION) {
            throw refusal("it has migration " + applied + " of " + VERSION, null);
        }
    }

    /** The database's own error, when it answered one (a missing history table, say); null when it did not answer. */
    private static PgException answer(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PgException error) {
                return error;
            }
        }
        return null;
    }

    private static IllegalStateException refusal(String why, Throwable cause) {
        return new IllegalStateException("The database's schema is behind this service: " + why + "; and"
                + " LIKES_MIGRATE_AT_START=false leaves migrating to a step of its own: run it first"
                + " (docs/deploy.md, \"Migrations\")", cause);
    }
}
