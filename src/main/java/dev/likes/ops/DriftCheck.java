package dev.likes.ops;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.likes.config.LikesConfig;
import dev.likes.ha.LeaderJobs;
import dev.likes.ha.Leadership;
import io.micrometer.core.instrument.Gauge;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;

/**
 * The optional scheduled drift check (off unless {@code likes.drift-check.interval} is set), run by
 * the leader ({@link LeaderJobs}): a dry recount of every item, reported as the gauge {@code likes_drift_items} and, when above zero, a
 * warning. It changes nothing; repairing stays an operator's call (POST /v1/admin/recount).
 */
@ApplicationScoped
public class DriftCheck {

    private static final Logger LOG = Logger.getLogger(DriftCheck.class);

    private final RecountService recounts;
    private final AtomicLong drifted = new AtomicLong();
    private volatile boolean checked;

    public DriftCheck(RecountService recounts, Gauges gauges, Leadership leadership) {
        this.recounts = recounts;
        // The leader runs the check; on the other replicas (and before the first check) there is nothing to report.
        gauges.register(Gauge.builder("likes.drift.items", () -> leadership.isLeader() && checked ? drifted.get() : Double.NaN)
                .description("Items whose counter differed from their like rows at the last drift check (NaN on other replicas)")
                );
    }

    void schedule(@Observes StartupEvent start, LeaderJobs jobs, LikesConfig config) {
        config.driftCheck().interval().ifPresent(every -> {
            LOG.infof("Drift check every %s, on the leader", every);
            jobs.schedule("drift-check", every, this::check);
        });
    }

    /** One check: a dry recount of every item (skipped when a recount holds the recount lock). */
    public Uni<Recount> check() {
        return recounts.recount("", RecountService.MAX_LIMIT, false).invoke(recount -> {
            drifted.set(recount.drifted());
            checked = true;
            if (recount.drifted() > 0) {
                LOG.warnf("Drift check: %d of %d counters differ from their like rows (total delta %d), "
                        + "for example %s; POST /v1/admin/recount repairs them",
                        recount.drifted(), recount.checked(), recount.delta(), recount.items().get(0));
            } else {
                LOG.infof("Drift check: %d counters, all equal to their like rows", recount.checked());
            }
        });
    }
}
