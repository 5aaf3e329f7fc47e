package dev.likes.support;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The service's database as a primary with a streaming standby (both {@link LocalPostgres}), the
 * standby configured to serve public reads; tests reach both through {@link #primary()} and
 * {@link #standby()}.
 */
public class PrimaryWithStandby implements QuarkusTestResourceLifecycleManager {

    public static final int PRIMARY_PORT = 54332;
    public static final int STANDBY_PORT = 54333;

    private static LocalPostgres primary;
    private static LocalPostgres standby;

    @Override
    public Map<String, String> start() {
        primary = LocalPostgres.primary(PRIMARY_PORT);
        standby = primary.standby(STANDBY_PORT);
        Map<String, String> config = new HashMap<>(PrivatePostgres.datasource(primary));
        config.put("likes.db.read.host", "127.0.0.1");
        config.put("likes.db.read.port", String.valueOf(STANDBY_PORT));
        config.put("likes.db.read.max-lag", "1s");
        config.put("likes.db.read.lag-check-interval", "200ms");
        return config;
    }

    @Override
    public void stop() {
        standby.destroy();
        primary.destroy();
    }

    public static LocalPostgres primary() {
        return primary;
    }

    public static LocalPostgres standby() {
        return standby;
    }
}
