package dev.likes.db;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

import io.quarkus.runtime.StartupEvent;

/**
 * With migrations as a step of their own ({@code LIKES_MIGRATE_AT_START=false}), a replica checks
 * at start that the schema is the one it was built for, and refuses to start otherwise: started
 * before the migration step finished, it would fail its first statements instead. (With migrations
 * at start, Flyway validates as it migrates.)
 */
@ApplicationScoped
public class SchemaCheck {

    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 2) StartupEvent start,
            @ConfigProperty(name = "quarkus.flyway.migrate-at-start") boolean migrateAtStart, Instance<Flyway> flyway) {
        if (migrateAtStart) {
            return;
        }
        try {
            flyway.get().validate();
        } catch (FlywayException behind) {
            throw new IllegalStateException("The database's schema is not the one this service needs, and"
                    + " LIKES_MIGRATE_AT_START=false leaves migrating to a step of its own: run it first"
                    + " (docs/deploy.md, \"Migrations\"). Flyway: " + behind.getMessage(), behind);
        }
    }
}
