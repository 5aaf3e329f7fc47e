package dev.likes.db;

import java.time.Duration;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * With migrations as a step of their own ({@code LIKES_MIGRATE_AT_START=false}, which also leaves
 * Flyway and its JDBC connection out of the start), a replica checks at start, with one query on
 * its own pool, that the schema has every migration it was built for, and refuses to start
 * otherwise: started before the migration step finished, it would fail its first statements
 * instead. A schema ahead of it (a newer replica's step during a rolling update) is accepted, as
 * Flyway accepts it. (With migrations at start, Flyway validates as it migrates.)
 */
@ApplicationScoped
public class SchemaCheck {

    /** The latest migration this build carries (src/main/resources/db/migration; a test keeps it so). */
    static final int VERSION = 6;

    /** The latest migration applied: Flyway's history, whose versions here are whole numbers. */
    static final String APPLIED = "SELECT coalesce(max(version::int), 0) AS version FROM flyway_schema_history WHERE success";

    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 2) StartupEvent start,
            @ConfigProperty(name = "quarkus.flyway.migrate-at-start") boolean migrateAtStart, Pool pool) {
        if (migrateAtStart) {
            return;
        }
        int applied;
        try {
            applied = pool.query(APPLIED).execute().await().atMost(Duration.ofSeconds(30)).iterator().next().getInteger("version");
        } catch (RuntimeException unread) {
            throw refusal("its migration history could not be read (" + unread.getMessage() + ")", unread);
        }
        if (applied < VERSION) {
            throw refusal("it has migration " + applied + " of " + VERSION, null);
        }
    }

    private static IllegalStateException refusal(String why, Throwable cause) {
        return new IllegalStateException("The database's schema is behind this service: " + why + "; and"
                + " LIKES_MIGRATE_AT_START=false leaves migrating to a step of its own: run it first"
                + " (docs/deploy.md, \"Migrations\")", cause);
    }
}
