package dev.likes.tracing;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;

/**
 * Exports spans only where there is somewhere to send them: {@code quarkus.otel.sdk.disabled} is
 * false when an OTLP endpoint is configured ({@code QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT}, or its
 * traces-only variant), and true otherwise, unless it is set explicitly. Quarkus would otherwise send
 * every span to localhost:4317, where there is usually nothing, with a warning at every failed
 * export. (Spans are still made with the SDK disabled, their ids in the logs, but none is exported.)
 */
public class TracingSwitch implements ConfigSourceInterceptor {

    static final String DISABLED = "quarkus.otel.sdk.disabled";
    static final String ENDPOINT = "quarkus.otel.exporter.otlp.endpoint";
    static final String TRACES_ENDPOINT = "quarkus.otel.exporter.otlp.traces.endpoint";
    /** Defaults (of extensions and mappings) come from sources of this ordinal or lower; set values from above it. */
    private static final int DEFAULTS = 0;

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (!DISABLED.equals(name) || value != null && value.getConfigSourceOrdinal() > DEFAULTS) {
            return value;
        }
        boolean endpoint = set(context.proceed(ENDPOINT)) || set(context.proceed(TRACES_ENDPOINT));
        return ConfigValue.builder().withName(DISABLED).withValue(String.valueOf(!endpoint))
                .withConfigSourceName(TracingSwitch.class.getSimpleName()).withConfigSourceOrdinal(DEFAULTS).build();
    }

    /** Quarkus hands OpenTelemetry's SDK the {@code quarkus.otel.*} settings it lists: this one among them. */
    @Override
    public Iterator<String> iterateNames(ConfigSourceInterceptorContext context) {
        Set<String> names = new LinkedHashSet<>();
        context.iterateNames().forEachRemaining(names::add);
        names.add(DISABLED);
        return names.iterator();
    }

    private static boolean set(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank() && value.getConfigSourceOrdinal() > DEFAULTS;
    }
}
