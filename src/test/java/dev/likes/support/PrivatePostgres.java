package dev.likes.support;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The service's database as a {@link LocalPostgres} that a test may stop and start (see
 * {@link #server()}), for tests of database faults.
 */
public class PrivatePostgres implements QuarkusTestResourceLifecycleManager {

    public static final int PORT = 54331;

    private static LocalPostgres server;

    @Override
    public Map<String, String> start() {
        server = LocalPostgres.primary(PORT);
        return datasource(server);
    }

    @Override
    public void stop() {
        server.destroy();
    }

    /** The server of the test under way. */
    public static LocalPostgres server() {
        return server;
    }

    /** The Quarkus datasource settings that point the service at {@code server}. */
    public static Map<String, String> datasource(LocalPostgres server) {
        String address = server.url().substring("postgresql://".length());
        return Map.of(
                "quarkus.datasource.reactive.url", "postgresql://" + address,
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://" + address,
                "quarkus.datasource.username", "likes",
                "quarkus.datasource.password", "likes");
    }
}
