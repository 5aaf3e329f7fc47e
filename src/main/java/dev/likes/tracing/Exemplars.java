package dev.likes.tracing;

import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.prometheus.client.exemplars.ExemplarSampler;
import io.quarkus.micrometer.runtime.export.exemplars.OpentelemetryExemplarSamplerProvider;

/**
 * Prometheus exemplars (the trace a histogram bucket or counter last saw) only while traces are
 * exported. With OpenTelemetry in the application, Quarkus gives the Prometheus registry a sampler
 * that, on every timer and counter record, looks up the current span to offer it as an exemplar;
 * while the SDK is disabled ({@link TracingSwitch}) there is none to find, and the lookups were 2 to
 * 4% of the event loops' CPU samples under the uniform mix (docs/performance.md, "CPU per click").
 * This producer, an alternative to Quarkus's, hands the registry no sampler then, and Quarkus's own
 * otherwise.
 */
@Singleton
public class Exemplars {

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    Optional<ExemplarSampler> sampler(@ConfigProperty(name = TracingSwitch.DISABLED) boolean sdkDisabled) {
        return of(sdkDisabled);
    }

    static Optional<ExemplarSampler> of(boolean sdkDisabled) {
        return sdkDisabled ? Optional.empty() : new OpentelemetryExemplarSamplerProvider().exemplarSampler();
    }
}
