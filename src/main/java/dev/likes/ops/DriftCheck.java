package dev.likes.ops;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.likes.config.LikesConfig;
import dev.likes.ha.LeaderJobs;
import dev.likes.ha.Leadership;
import dev.likes.metrics.Gauges;
import io.micrometer.core.instrument.Gauge;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/**
 * The optional scheduled drift check (off unless {@code likes.drift-check.interval} is set), run by
 * the leader ({@link LeaderJobs}): a dry recount of every item, reported as the gauge {@code likes_drift_items} and, when above zero, a
 * warning. It changes nothing; repairing stays an operator's call (POST /v1/admin/recount). It also
 * counts suspended users' likes: held out of the counts ({@code likes_suspended_likes}, not drift), and
 * still counted after their suspension was worked off ({@code likes_drift_suspended_likes}, drift).
 */
@ApplicationScoped
public class DriftCheck {

    private static final Logger LOG = Logger.getLogger(DriftCheck.class);

    private final RecountService recounts;
    private final Pool pool;
    private final AtomicLong drifted = new AtomicLong();
    private final AtomicLong held = new AtomicLong();
    private final AtomicLong suspendedCounted = new AtomicLong();
    private volatile boolean checked;

    public DriftCheck(RecountService recounts, Pool pool, Gauges gauges, Leadership leadership) {
        this.recounts = recounts;
        this.pool = pool;
        gauges.register(Gauge.builder("likes.suspended.likes", () -> leadership.isLeader() && checked ? held.get() : Double.NaN)
                .description("Likes of suspended users, held out of every count, at the last drift check (NaN on other replicas)"));
        gauges.register(Gauge.builder("likes.drift.suspended.likes",
                        () -> leadership.isLeader() && checked ? suspendedCounted.get() : Double.NaN)
                .description("Likes of suspended users still counted after their suspension was worked off, at the last drift check"));
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
        return recounts.recount("", RecountService.MAX_LIMIT, false).call(this::checkSuspended).invoke(recount -> {
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

    private Uni<Void> checkSuspended() {
        return pool.preparedQuery(RecountStore.SUSPENDED).execute().invoke(rows -> {
            Row row = rows.iterator().next();
            held.set(row.getLong("held"));
            suspendedCounted.set(row.getLong("counted"));
            if (suspendedCounted.get() > 0) {
                LOG.warnf("Drift check: %d likes of suspended users still count; suspend them again to move them out",
                        suspendedCounted.get());
            }
        }).replaceWithVoid();
    }
}
