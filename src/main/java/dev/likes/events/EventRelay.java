package dev.likes.events;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.likes.citus.CitusCluster;
import dev.likes.config.LikesConfig;
import dev.likes.events.RelaySource.Backlog;
import dev.likes.ha.LeaderJobs;
import dev.likes.ha.LeaderPool;
import dev.likes.ha.Leadership;
import dev.likes.metrics.Gauges;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Publishes the outbox to Kafka, on the leader only ({@link Leadership}): a round takes the oldest
 * events (at most {@code likes.events.relay-batch}, in event id order), sends them keyed by item id,
 * so that each item's events share a partition and keep their order, waits until the broker has
 * acknowledged every one ({@code acks=all}, idempotent producer), and only then deletes them. A round
 * that fails deletes nothing: its events go again, in the same order, in a later round, with a new
 * producer. Hence at least once, in order per item: in each partition every event first appears after
 * the item's earlier ones (see docs/events.md).
 *
 * <p>The database work is reactive, on one Vert.x context, from the outbox as this database keeps it
 * ({@link RelaySource}); the producer lives on a thread of its own ({@link EventSender}).
 */
@ApplicationScoped
public class EventRelay {

    private static final Logger LOG = Logger.getLogger(EventRelay.class);
    private static final Duration BACKLOG_EVERY = Duration.ofSeconds(1);

    private final OutboxStore outbox;
    private final ShardedOutbox sharded;
    private final CitusCluster citus;
    private final LikesConfig.Events config;
    private final Leadership leadership;
    private final LeaderJobs jobs;
    private final EventSender sender;
    private final LeaderPool relay;
    private final LeaderPool shardedRelay;
    private final Counter published;
    private final Counter failures;
    private final Timer lag;

    private Vertx vertx;
    private Context context;
    private volatile boolean stopped;
    private boolean warmed;
    private volatile Backlog backlog;
    private final Duration leaderCheck;

    public EventRelay(OutboxStore outbox, ShardedOutbox sharded, CitusCluster citus, LikesConfig config, Leadership leadership,
            LeaderJobs jobs, EventSender sender, MeterRegistry registry, Gauges gauges) {
        this.outbox = outbox;
        this.sharded = sharded;
        this.citus = citus;
        this.config = config.events();
        this.leadership = leadership;
        this.jobs = jobs;
        this.sender = sender;
        this.leaderCheck = config.leader().checkInterval();
        // One connection, apart from the requests' pool, so that the rounds neither wait behind clicks
        // nor take a connection from them; fenced to the leader's term, so that a relay that lost the lead
        // deletes nothing. Its commits do not wait for the disk (synchronous_commit=off): they only
        // delete published events, and a delete lost in a crash only sends those events again, which at
        // least once allows. The clicks' own commits, which record the events, do wait; without this,
        // the relay's many small commits would compete with theirs for the disk's flushes.
        Duration patience = config.db().statementTimeout().plus(config.db().acquireTimeout());
        this.relay = leadership.pool(1, patience, options -> options.addProperty("synchronous_commit", "off"));
        // On Citus the relay also writes the ids it sends (ShardedOutbox): those commits must wait.
        this.shardedRelay = leadership.pool(1, patience, options -> options);
        this.published = Counter.builder("likes.events.published")
                .description("Like events the broker acknowledged and the relay deleted from the outbox")
                .register(registry);
        this.failures = Counter.builder("likes.events.relay.failures")
                .description("Relay rounds that failed (broker or database away); their events go again")
                .register(registry);
        this.lag = Timer.builder("likes.events.relay.lag")
                .description("Per relay round: from the oldest event's statement to the broker's acknowledgement of it")
                .register(registry);
        gauges.register(Gauge.builder("likes.events.outbox.pending", () -> backlog().map(read -> (double) read.pending()).orElse(Double.NaN))
                .description("Events in the outbox still to go to Kafka (at most; read by the leader, NaN elsewhere)"));
        gauges.register(Gauge.builder("likes.events.outbox.oldest.age", () -> backlog().map(Backlog::oldestSeconds).orElse(Double.NaN))
                .baseUnit("seconds")
                .description("Age of the oldest event still in the outbox (read by the leader, NaN elsewhere)"));
    }

    void start(@Observes StartupEvent start, Vertx vertx) {
        if (!outbox.enabled()) {
            return;
        }
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        LOG.infof("Like events are on: the leader publishes them to the topic %s", config.topic());
        context.runOnContext(ignored -> round());
        // Read apart from the rounds, which may wait on the broker meanwhile.
        jobs.schedule("events-backlog", BACKLOG_EVERY, () -> citus.known(() -> source().backlog(client())).invoke(read -> backlog = read));
    }

    void stop(@Observes ShutdownEvent stop) {
        stopped = true;
        if (outbox.enabled()) {
            sender.stop();
        }
    }

    /**
     * One round, then the next: at once after a round that found events (so that under load the
     * rounds follow each other and each takes what arrived meanwhile), after the interval when the
     * outbox was empty.
     */
    private void round() {
        if (stopped) {
            return;
        }
        if (!leadership.isLeader()) {
            if (warmed) {
                warmed = false;
                sender.close();
            }
            later(leaderCheck);
            return;
        }
        if (!warmed) {
            warmed = true;
            sender.warm();
        }
        Executor onContext = command -> context.runOnContext(ignored -> command.run());
        citus.known(() -> Uni.createFrom().item(this::client)).flatMap(client -> source().next(client, config.relayBatch())
                .flatMap(events -> events.isEmpty() ? Uni.createFrom().item(0)
                        : sender.send(events).emitOn(onContext).flatMap(acknowledged -> source().published(client, events)).map(deleted -> {
                            published.increment(events.size());
                            lag.record(Duration.between(oldest(events), Instant.now()));
                            return events.size();
                        })))
                .emitOn(onContext)
                .subscribe().with(
                        sent -> later(sent > 0 ? Duration.ZERO : config.relayInterval()),
                        failure -> {
                            failures.increment();
                            LOG.warnf("Like events could not be relayed this time (they stay in the outbox and go again): %s", failure.toString());
                            later(config.relayRetry());
                        });
    }

    /** The outbox as this database keeps it: on one PostgreSQL, or spread over a Citus cluster's workers. */
    private RelaySource source() {
        return citus.active() ? sharded : outbox;
    }

    private SqlClient client() {
        return (citus.active() ? shardedRelay : relay).client();
    }

    /** When the round's oldest event was made (on Citus a round is in item order, not in time). */
    private static Instant oldest(List<LikeEvent> events) {
        Instant oldest = Instant.MAX;
        for (LikeEvent event : events) {
            Instant at = Instant.parse(event.at());
            oldest = at.isBefore(oldest) ? at : oldest;
        }
        return oldest;
    }

    private void later(Duration delay) {
        if (stopped) {
            return;
        }
        if (delay.isZero()) {
            context.runOnContext(ignored -> round());
        } else {
            vertx.setTimer(Math.max(1, delay.toMillis()), timer -> round());
        }
    }

    /** The outbox's backlog as last read, while this replica leads (a follower's last reading is stale). */
    private Optional<Backlog> backlog() {
        return leadership.isLeader() ? Optional.ofNullable(backlog) : Optional.empty();
    }
}
