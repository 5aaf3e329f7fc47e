package dev.likes.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The ranges of the likes.* settings, checked at start (no Quarkus, no database). */
class LikesConfigCheckTest {

    @Test
    void theDefaultsAreInRange() {
        assertEquals(List.of(), LikesConfigCheck.problems(config(Map.of())));
    }

    @Test
    void zeroTurnsOffOnlyWhatItMayTurnOff() {
        assertEquals(List.of(), LikesConfigCheck.problems(config(Map.of(
                "likes.windows.aging-interval", "0s",
                "likes.limit.changes-per-item", "0",
                "likes.limit.writes-per-user", "0",
                "likes.auth.keys-reload-interval", "0s",
                "likes.auth.token-cache.max-tokens", "0"))));
    }

    @Test
    void everySettingOutOfRangeIsNamedAtOnce() {
        assertEquals(List.of(
                "LIKES_DB_ACQUIRE_TIMEOUT must be 1ms or longer (it is PT0S)",
                "LIKES_DB_READ_PORT must be between 1 and 65535 (it is 70000)",
                "LIKES_WRITE_STATEMENTS must be at least 1 (it is 0)",
                "LIKES_LIMIT_CLEANUP_INTERVAL must be 1ms or longer (it is PT0.0005S)",
                "LIKES_DRIFT_CHECK_INTERVAL must be 1ms or longer (it is PT-1H)",
                "LIKES_WINDOWS_AGING_INTERVAL must not be negative (it is PT-5S; 0 turns it off)",
                "LIKES_EVENTS_TOPIC must not be blank",
                "LIKES_EVENTS_RELAY_BATCH must be between 1 and 100000 (it is 0)"),
                LikesConfigCheck.problems(config(Map.of(
                        "likes.db.acquire-timeout", "0s",
                        "likes.db.read.port", "70000",
                        "likes.write.statements", "0",
                        "likes.limit.cleanup-interval", "PT0.0005S",
                        "likes.drift-check.interval", "-1h",
                        "likes.windows.aging-interval", "-5s",
                        "likes.events.topic", " ",
                        "likes.events.relay-batch", "0"))));
    }

    @Test
    void aLifecycleFenceMustOutlastEveryClickStatement() {
        assertEquals(List.of("LIKES_LIFECYCLE_FENCE_TIMEOUT must be longer than LIKES_DB_STATEMENT_TIMEOUT (it is PT5S, "
                + "the statement timeout PT5S)"), LikesConfigCheck.problems(config(Map.of("likes.lifecycle.fence-timeout", "5s"))));
        assertEquals(List.of(), LikesConfigCheck.problems(config(Map.of(
                "likes.lifecycle.fence-timeout", "5s", "likes.db.statement-timeout", "2s"))));
    }

    private static LikesConfig config(Map<String, String> values) {
        return new SmallRyeConfigBuilder()
                .withMapping(LikesConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter()) // "1s", as Quarkus reads it
                .withSources(new PropertiesConfigSource(values, "test", 100))
                .build()
                .getConfigMapping(LikesConfig.class);
    }
}
