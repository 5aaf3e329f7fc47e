package dev.likes.lifecycle;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.likes.citus.CitusCluster;
import dev.likes.config.LikesConfig;
import dev.likes.counting.CountAnnouncer;
import dev.likes.ha.LeaderJobs;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Works off the lifecycle jobs, on the leader only ({@link LeaderJobs}), oldest first; a job waiting
 * for its fence lets the next ones go on meanwhile (each batch checks the state it works for).
 * A job moves its subject's likes a batch a statement until a batch comes back short; then, once
 * every transaction that held a snapshot when its request took effect has ended (its fence), or at
 * most {@code likes.lifecycle.fence-timeout} after the request, one more pass picks up what such a
 * late click wrote, and the job's last statement marks it done. Every step
 * is safe to run again, so a job that a crash or a failover interrupts is simply taken up by the next
 * leader. A pass works at most {@code likes.lifecycle.pass-length}, then lets the next pass go on.
 */
@ApplicationScoped
public class LifecycleJobs {

    private static final Logger LOG = Logger.getLogger(LifecycleJobs.class);

    /** Running jobs read at a time. */
    static final int PAGE = 100;

    private final LifecycleStore store;
    private final LeaderJobs jobs;
    private final CountAnnouncer announcer;
    private final CitusCluster citus;
    private final ShardGroupSteps groups;
    private final Clock clock;
    private final LikesConfig.Lifecycle config;
    private final Map<JobKind, Counter> moved = new EnumMap<>(JobKind.class);
    private final Map<JobKind, Counter> finished = new EnumMap<>(JobKind.class);

    public LifecycleJobs(LifecycleStore store, LeaderJobs jobs, CountAnnouncer announcer, Clock clock, LikesConfig config,
            MeterRegistry registry, CitusCluster citus, ShardGroupSteps groups) {
        this.citus = citus;
        this.groups = groups;
        this.store = store;
        this.jobs = jobs;
        this.announcer = announcer;
        this.clock = clock;
        this.config = config.lifecycle();
        for (JobKind kind : JobKind.values()) {
            moved.put(kind, Counter.builder("likes.lifecycle.likes").tag("kind", kind.label)
                    .description("Like rows that lifecycle jobs moved (erased, removed, suspended, reinstated)").register(registry));
            finished.put(kind, Counter.builder("likes.lifecycle.jobs").tag("kind", kind.label)
                    .description("Lifecycle jobs done").register(registry));
        }
    }

    void schedule(@Observes StartupEvent start) {
        jobs.schedule("lifecycle", config.checkInterval(), this::pass);
    }

    /**
     * Works the running jobs, oldest first, for up to a pass length; completes when it stops. On
     * Citus, each batch by shard group ({@link ShardGroupSteps}).
     */
    public Uni<Void> pass() {
        return citus.known(this::workRunning);
    }

    private Uni<Void> workRunning() {
        return Uni.createFrom().item(jobs::client).flatMap(client -> workAfter(client, null, System.nanoTime() + config.passLength().toNanos()));
    }

    /**
     * A page of running jobs after {@code after}, oldest first, then the next page, until none is left
     * or the pass is over: a job that waits for its fence costs a query, and every later job gets its
     * turn however many wait.
     */
    private Uni<Void> workAfter(SqlClient client, LifecycleJob after, long deadline) {
        return store.running(client, PAGE, after).flatMap(running -> {
            Uni<Void> page = Uni.createFrom().voidItem();
            for (LifecycleJob job : running) {
                page = page.flatMap(done -> System.nanoTime() < deadline ? work(client, job, deadline) : Uni.createFrom().voidItem());
            }
            return page.flatMap(done -> running.size() == PAGE && System.nanoTime() < deadline
                    ? workAfter(client, running.get(running.size() - 1), deadline)
                    : Uni.createFrom().voidItem());
        });
    }

    private Uni<Void> work(SqlClient client, LifecycleJob job, long deadline) {
        Uni<List<String>> fence = job.fence() != null ? Uni.createFrom().item(job.fence()) : store.fence(client, job.id());
        return fence.flatMap(taken -> drain(client, job, deadline).flatMap(drained -> {
            if (!drained) {
                return Uni.createFrom().voidItem();
            }
            // Checked after a short batch, then drained again: what a fenced click committed is seen.
            return store.fencePassed(client, taken, job, config.fenceTimeout()).flatMap(passed -> !passed ? Uni.createFrom().voidItem()
                    : drain(client, job, deadline).flatMap(again -> again ? finish(client, job) : Uni.createFrom().voidItem()));
        }));
    }

    /**
     * Batches until one comes back short (true) or the pass is over (false). A true answer after
     * the fence passed means the subject has nothing left to move.
     */
    private Uni<Boolean> drain(SqlClient client, LifecycleJob job, long deadline) {
        int batch = config.batchSize();
        return Multi.createBy().repeating().uni(() -> step(client, job, batch).invoke(step -> record(job, step)))
                .whilst(step -> step.taken() >= batch && System.nanoTime() < deadline)
                .collect().last()
                .map(last -> last.taken() < batch);
    }

    private Uni<LifecycleStore.Step> step(SqlClient client, LifecycleJob job, int batch) {
        return citus.active() ? groups.step(client, job, batch, now()) : store.step(client, job, batch, now());
    }

    private void record(LifecycleJob job, LifecycleStore.Step step) {
        moved.get(job.kind()).increment(step.moved());
        if (!step.items().isEmpty()) {
            // Live streams of every replica see the new counts.
            announcer.changed(new LinkedHashSet<>(step.items()));
        }
    }

    private Uni<Void> finish(SqlClient client, LifecycleJob job) {
        return store.finish(client, job).invoke(() -> {
            finished.get(job.kind()).increment();
            LOG.infof("Lifecycle job %s (%s %s) done", job.id(), job.kind().label, job.subject());
        });
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
