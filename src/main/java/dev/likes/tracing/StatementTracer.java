package dev.likes.tracing;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;

/**
 * The tracer of the spans the service makes for work that serves many requests at once (a write
 * statement's, dev.likes.likes.ClickQueue): Quarkus's while spans are exported, a no-op one while
 * they are not ({@link TracingSwitch}: no OTLP endpoint). With the SDK disabled, the tracer Quarkus
 * hands out still makes and records every span asked of it, for nothing: made, linked to each request
 * and made current for every statement, the statement's span was about 3.7% of the event loops' CPU
 * samples under the uniform mix (docs/performance.md, "CPU per click"). A no-op tracer's spans are
 * invalid, and the queue does not make them current.
 */
@Singleton
public class StatementTracer {

    private final Tracer tracer;

    public StatementTracer(Tracer tracer, @ConfigProperty(name = TracingSwitch.DISABLED) boolean sdkDisabled) {
        this.tracer = of(tracer, sdkDisabled);
    }

    /** {@code quarkus} itself while spans are exported, otherwise a tracer that makes none. */
    static Tracer of(Tracer quarkus, boolean sdkDisabled) {
        return sdkDisabled ? TracerProvider.noop().get(StatementTracer.class.getName()) : quarkus;
    }

    public Tracer tracer() {
        return tracer;
    }
}
