package dev.likes.tracing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;

/** A statement's span is made only where spans go somewhere. */
class StatementTracerTest {

    private final Tracer quarkus = SdkTracerProvider.builder().build().get("test");

    @Test
    void exportedSpansAreMadeByTheSdk() {
        Span span = StatementTracer.of(quarkus, false).spanBuilder("likes.write like").setNoParent().startSpan();
        assertTrue(span.getSpanContext().isValid());
        assertTrue(span.isRecording());
    }

    @Test
    void withTheSdkDisabledNoSpanIsMade() {
        Span span = StatementTracer.of(quarkus, true).spanBuilder("likes.write like").setNoParent().startSpan();
        assertFalse(span.getSpanContext().isValid());
        assertFalse(span.isRecording());
    }
}
