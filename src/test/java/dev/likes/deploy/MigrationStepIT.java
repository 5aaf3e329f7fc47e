package dev.likes.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.likes.support.LocalPostgres;
import dev.likes.support.PackagedService;
import dev.likes.support.Tokens;

/**
 * Migrations as a step of their own (docs/deploy.md, "Migrations"; the Kubernetes Job likes-migrate),
 * with the packaged service against an empty database: a replica with LIKES_MIGRATE_AT_START=false
 * refuses to start before the step, the step migrates and exits 0, and the replica then starts and
 * serves without migrating.
 */
class MigrationStepIT {

    static final int DB_PORT = 54336;
    static final Map<String, String> KEYS = Map.of(
            "LIKES_JWT_ISSUER", Tokens.ISSUER,
            "LIKES_JWT_PUBLIC_KEY_LOCATION", "deploy/dev-keys/public.pem",
            "LIKES_AUTH_INSECURE_TRUST_PUBLISHED_DEV_KEY", "true");

    static LocalPostgres postgres;

    @BeforeAll
    static void emptyDatabase() {
        postgres = LocalPostgres.primary(DB_PORT);
    }

    @AfterAll
    static void stop() {
        postgres.destroy();
    }

    @Test
    void aReplicaWaitsForTheMigrationStepAndTheStepRunsOnce() {
        PackagedService early = replica("migration-early", "false", Map.of());
        assertEquals(1, early.runToExit(Duration.ofSeconds(90)), "a replica refuses to start on a schema behind it");
        assertTrue(early.log().contains("LIKES_MIGRATE_AT_START=false leaves migrating to a step of its own"), "and says why");
        assertEquals("0", postgres.psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), "it changed nothing");

        PackagedService step = replica("migration-step", "true", Map.of("QUARKUS_INIT_AND_EXIT", "true"));
        assertEquals(0, step.runToExit(Duration.ofSeconds(90)), "the step migrates and exits");
        String migrated = postgres.psql("SELECT count(*) FROM flyway_schema_history WHERE success");
        assertTrue(Integer.parseInt(migrated) >= 6, "every migration applied: " + migrated);

        PackagedService replica = replica("migration-replica", "false", Map.of()).start();
        try {
            assertTrue(replica.get("/v1/items/migrated").contains("\"likes\":0"), "it serves");
            assertEquals(migrated, postgres.psql("SELECT count(*) FROM flyway_schema_history"), "and migrated nothing itself");
        } finally {
            replica.kill();
        }
    }

    private static PackagedService replica(String name, String migrateAtStart, Map<String, String> more) {
        Map<String, String> settings = new java.util.HashMap<>(KEYS);
        settings.put("LIKES_MIGRATE_AT_START", migrateAtStart);
        settings.putAll(more);
        return new PackagedService(name, 18093, DB_PORT, settings);
    }
}
