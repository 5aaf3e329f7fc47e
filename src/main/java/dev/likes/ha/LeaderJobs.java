package dev.likes.ha;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.likes.config.LikesConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * The periodic background jobs: each runs on the leader only ({@link Leadership}), and a run is
 * skipped while the previous one is still under way. What they write goes through {@link #client()},
 * connections fenced to the leader's term, so that a replica that lost the lead cannot write beside
 * the next leader. The counter {@code likes_job_runs_total{job}} shows which replica ran what.
 */
@ApplicationScoped
public class LeaderJobs {

    private static final Logger LOG = Logger.getLogger(LeaderJobs.class);

    private final Vertx vertx;
    private final Leadership leadership;
    private final MeterRegistry registry;
    private final List<Long> timers = new CopyOnWriteArrayList<>();
    private final LeaderPool work;

    public LeaderJobs(Vertx vertx, Leadership leadership, MeterRegistry registry, LikesConfig config) {
        this.vertx = vertx;
        this.leadership = leadership;
        this.registry = registry;
        // Two: the jobs run side by side; one may wait a statement's length for its turn.
        this.work = leadership.pool(2, config.db().statementTimeout().plus(config.db().acquireTimeout()), UnaryOperator.identity());
    }

    /**
     * Where the jobs write: the pool of the leader's current term (see {@link LeaderPool}). Fails with
     * {@link NotLeaderException} on a replica that does not lead.
     */
    public SqlClient client() {
        return work.client();
    }

    /** Runs {@code job} every {@code every} while this replica leads; a zero interval schedules nothing. */
    public void schedule(String name, Duration every, Supplier<Uni<?>> job) {
        if (every.isZero() || every.isNegative()) {
            return;
        }
        AtomicBoolean running = new AtomicBoolean();
        Counter runs = Counter.builder("likes.job.runs").tag("job", name)
                .description("Runs of a background job on this replica (only the leader runs them)")
                .register(registry);
        timers.add(vertx.setPeriodic(every.toMillis(), timer -> {
            if (!leadership.isLeader() || !running.compareAndSet(false, true)) {
                return;
            }
            runs.increment();
            Uni.createFrom().deferred(job)
                    .eventually(() -> running.set(false))
                    .subscribe().with(done -> { }, failure -> LOG.warnf("%s did not complete this time: %s", name, failure.toString()));
        }));
    }

    void stop(@Observes ShutdownEvent stop) {
        timers.forEach(vertx::cancelTimer);
    }
}
