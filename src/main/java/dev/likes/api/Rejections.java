package dev.likes.api;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Counts requests answered with a problem, by reason (invalid_id, not_found, database_unavailable, ...). */
@ApplicationScoped
public class Rejections {

    private final MeterRegistry registry;

    public Rejections(MeterRegistry registry) {
        this.registry = registry;
    }

    public void count(String reason) {
        Counter.builder("likes.rejected").description("Requests answered with a problem, by reason")
                .tag("reason", reason).register(registry).increment();
    }
}
