package dev.likes.ops;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * The optional scheduled drift check (off unless {@code likes.drift-check.interval} is set): a dry
 * recount of every item, reported as the gauge {@code likes_drift_items} and, when above zero, a
 * warning. It changes nothing; repairing stays an operator's call (POST /v1/admin/recount).
 */
@ApplicationScoped
public class DriftCheck {

    private static final Logger LOG = Logger.getLogger(DriftCheck.class);

    private final RecountService recounts;
    private final AtomicLong drifted = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean();

    public DriftCheck(RecountService recounts, MeterRegistry registry) {
        this.recounts = recounts;
        Gauge.builder("likes.drift.items", drifted, AtomicLong::get)
                .description("Items whose counter differed from their like rows at the last drift check")
                .register(registry);
    }

    void schedule(@Observes StartupEvent start, Vertx vertx,
            @ConfigProperty(name = "likes.drift-check.interval") Optional<Duration> interval) {
        interval.filter(every -> !every.isZero()).ifPresent(every -> {
            LOG.infof("Drift check every %s", every);
            vertx.setPeriodic(every.toMillis(), timer -> check());
        });
    }

    /** One check; skipped while the previous one still runs. */
    void check() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        recounts.recount("", RecountService.MAX_LIMIT, false)
                .eventually(() -> running.set(false))
                .subscribe().with(recount -> {
                    drifted.set(recount.drifted());
                    if (recount.drifted() > 0) {
                        LOG.warnf("Drift check: %d of %d counters differ from their like rows (total delta %d), "
                                + "for example %s; POST /v1/admin/recount repairs them",
                                recount.drifted(), recount.checked(), recount.delta(), recount.items().get(0));
                    } else {
                        LOG.infof("Drift check: %d counters, all equal to their like rows", recount.checked());
                    }
                }, failure -> LOG.warnf("Drift check failed: %s", failure.toString()));
    }
}
