package dev.likes.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Tracing is on only where an OTLP endpoint is configured, or where it is switched on explicitly. */
class TracingSwitchTest {

    @Test
    void offWithoutAnEndpoint() {
        assertEquals("true", disabled(Map.of()));
    }

    @Test
    void onWithAnEndpoint() {
        assertEquals("false", disabled(Map.of(TracingSwitch.ENDPOINT, "http://collector:4317")));
        assertEquals("false", disabled(Map.of(TracingSwitch.TRACES_ENDPOINT, "http://collector:4317/v1/traces")));
        assertEquals("true", disabled(Map.of(TracingSwitch.ENDPOINT, " ")), "a blank endpoint is none");
    }

    @Test
    void anExplicitSettingWins() {
        assertEquals("false", disabled(Map.of(TracingSwitch.DISABLED, "false")));
        assertEquals("true", disabled(Map.of(TracingSwitch.DISABLED, "true", TracingSwitch.ENDPOINT, "http://collector:4317")));
    }

    private static String disabled(Map<String, String> settings) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withInterceptors(new TracingSwitch())
                .withSources(new PropertiesConfigSource(settings, "test", 250))
                .build();
        return config.getConfigValue(TracingSwitch.DISABLED).getValue();
    }
}
