package dev.likes.metrics;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;

/**
 * Registers the service's gauges, and removes them when the application stops. A gauge reads live
 * objects of one run of the application; Micrometer's registry outlives it (Quarkus keeps it across
 * the restarts of one JVM, as its tests do), and would otherwise keep reading the old objects and
 * ignore the new run's gauges of the same name.
 */
@ApplicationScoped
public class Gauges {

    private final MeterRegistry registry;
    private final List<Meter> registered = new CopyOnWriteArrayList<>();

    public Gauges(MeterRegistry registry) {
        this.registry = registry;
    }

    public void register(Gauge.Builder<?> gauge) {
        registered.add(gauge.register(registry));
    }

    /** A counter that reads a live object's count, removed at the end of the run as the gauges are. */
    public void register(FunctionCounter.Builder<?> counter) {
        registered.add(counter.register(registry));
    }

    void stop(@Observes ShutdownEvent stop) {
        registered.forEach(registry::remove);
        registered.clear();
    }
}
