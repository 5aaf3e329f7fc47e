/**
 * Tracing with OpenTelemetry: Quarkus gives every request its span; the write statements have spans
 * of their own, linked to the requests they answer (dev.likes.likes.ClickQueue). Spans are exported
 * only when an OTLP endpoint is configured ({@link TracingSwitch}); the statements' spans are made,
 * and the metrics' exemplars looked for, only then ({@link StatementTracer}, {@link Exemplars}).
 */
package dev.likes.tracing;
