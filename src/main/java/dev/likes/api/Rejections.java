package dev.likes.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Counts requests answered with a problem, by reason (invalid_id, not_found, database_unavailable, ...). */
@ApplicationScoped
public class Rejections {

    private final MeterRegistry registry;
    /** Reasons are a small fixed set; each counter is made once (an outage rejects every request). */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public Rejections(MeterRegistry registry) {
        this.registry = registry;
    }

    public void count(String reason) {
        counters.computeIfAbsent(reason, r -> Counter.builder("likes.rejected")
                .description("Requests answered with a problem, by reason")
                .tag("reason", r)
                .register(registry)).increment();
    }
}
