package dev.likes.ha;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.likes.api.DatabaseOutage;
import dev.likes.api.RetryLaterException;
import dev.likes.config.LikesConfig;
import dev.likes.db.DatabaseOptions;
import dev.likes.db.QueryDeadline;
import dev.likes.metrics.Gauges;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.sqlclient.PoolOptions;

/**
 * Where public reads go (counts without a user, rankings): to the primary on connections of their own
 * (the read share, {@code likes.read.share-pool-size}: a flood of reads waits there, and beyond
 * {@code likes.read.share-max-waiting} is answered 503 with Retry-After at once, while clicks and
 * readiness keep their own connections), or to the standby
 * when one is configured ({@code likes.db.read.host}) and it is within {@code likes.db.read.max-lag}
 * of the primary ({@link ReplicaLag}), else to the primary. A read the standby fails with an outage
 * is tried on the primary, then on the standby again (up to three more connections, 100 ms apart),
 * so a standby going away, or a failover, costs no answers. A standby whose lag is unknown (it failed its last check) is tried only when the
 * primary fails; one known to be further behind than the bound serves nothing. A user's own state (whether
 * they like an item, their likes) never comes here: it stays on the primary, read-your-writes. With no
 * standby configured, every read goes to the primary, as before. The gauge
 * {@code likes_read_replica_lag_seconds} shows the lag measured (NaN without a standby or a measure),
 * {@code likes_reads_total{server}} where reads went.
 * <p>
 * The lag is measured on one connection to the standby address: name one standby, or a service in
 * front of standbys that keep up alike (synchronous ones). While the primary does not answer its
 * sample (a failover), the last samples stand, so the standby that has replayed them serves reads.
 */
@ApplicationScoped
public class ReadRoute {

    private static final Logger LOG = Logger.getLogger(ReadRoute.class);

    /** The primary's WAL position, in bytes. Fails on a server in recovery, which is not the primary. */
    static final String PRIMARY_POSITION = "SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint";
    /** Whether the standby is still one, and how far it has replayed the primary's WAL, in bytes. */
    static final String STANDBY_POSITION = "SELECT pg_is_in_recovery(), (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint";

    /** Between two tries of the standby after it and the primary failed a read. */
    static final Duration RETRY_PAUSE = Duration.ofMillis(100);

    /** The read share: connections to the primary for public reads only. */
    private final Pool share;
    private final QueryDeadline deadline;
    private final Optional<Pool> standby;
    private final LikesConfig.Db.Read config;
    private final ReplicaLag lag;
    private final Counter primaryReads;
    private final Counter standbyReads;
    private final Counter shed;
    /** Milliseconds; negative while unknown (no answer from the standby yet, or its last check failed). */
    private volatile long standbyLagMillis = -1;
    private final AtomicBoolean measuring = new AtomicBoolean();
    /** Touched by one measure at a time. */
    private boolean standbyLost;
    private Vertx vertx;
    private long timer = -1;

    public ReadRoute(DatabaseOptions databases, LikesConfig config, Vertx vertx, Gauges gauges, MeterRegistry registry,
            QueryDeadline deadline) {
        this.deadline = deadline;
        this.share = databases.pool(vertx, databases.primary().addProperty("application_name", "likes-public-reads"),
                databases.bounded(new PoolOptions().setMaxSize(config.read().sharePoolSize()))
                        .setMaxWaitQueueSize(config.read().shareMaxWaiting()), null);
        this.config = config.db().read();
        this.lag = new ReplicaLag(this.config.maxLag().toMillis() * 4);
        this.standby = databases.standby().map(options -> databases.pool(vertx, options, this.config.poolSize()));
        gauges.register(Gauge.builder("likes.read.replica.lag", () -> standbyLagMillis < 0 ? Double.NaN : standbyLagMillis / 1000.0)
                .baseUnit("seconds")
                .description("How far the standby that serves public reads is behind the primary (NaN: none, or unknown)")
                );
        this.primaryReads = Counter.builder("likes.reads").tag("server", "primary")
                .description("Public reads, by the server that answered them").register(registry);
        this.standbyReads = Counter.builder("likes.reads").tag("server", "standby")
                .description("Public reads, by the server that answered them").register(registry);
        this.shed = Counter.builder("likes.reads.shed")
                .description("Public reads answered 503 because the read share of the primary was full").register(registry);
    }

    void start(@Observes StartupEvent start, Vertx vertx) {
        standby.ifPresent(pool -> {
            LOG.infof("Public reads go to the standby at %s:%d while it is within %s of the primary",
                    config.host().orElseThrow(), config.port(), config.maxLag());
            this.vertx = vertx;
            timer = vertx.setPeriodic(1, config.lagCheckInterval().toMillis(), tick -> measure(pool));
        });
    }

    void stop(@Observes ShutdownEvent stop) {
        if (vertx != null) {
            vertx.cancelTimer(timer);
        }
        standby.ifPresent(pool -> pool.close().subscribe().with(closed -> { }, failure -> { }));
        share.close().subscribe().with(closed -> { }, failure -> { });
    }

    public boolean hasStandby() {
        return standby.isPresent();
    }

    /**
     * Whether the standby answers a trivial query within {@link DatabaseReadiness#PATIENCE}; a second
     * connection is tried when the first fails (a proxy in front of several may have sent it to one
     * that is going away).
     */
    Uni<Boolean> standbyAnswers() {
        return standby.map(pool -> DatabaseReadiness.answers(pool)
                        .flatMap(up -> up ? Uni.createFrom().item(true) : DatabaseReadiness.answers(pool))
                        .ifNoItem().after(DatabaseReadiness.PATIENCE).recoverWithItem(false))
                .orElse(Uni.createFrom().item(false));
    }

    /** Which server a public read tries first. */
    public enum Prefer {
        /** The standby, while it is fresh enough (see the class comment): what most public reads may see. */
        STANDBY,
        /**
         * The primary (its read share), the standby only when the primary fails: what is kept in memory
         * (dev.likes.cache), so that a count read later is never older than one read before.
         */
        PRIMARY
    }

    /** Runs a public read where it should go (see the class comment). */
    public <T> Uni<T> read(Function<SqlClient, Uni<T>> query) {
        return read(Prefer.STANDBY, query);
    }

    /** Runs a public read on the server {@code prefer} names first. */
    public <T> Uni<T> read(Prefer prefer, Function<SqlClient, Uni<T>> query) {
        if (standby.isEmpty() || standbyLagMillis > config.maxLag().toMillis()) {
            return onPrimary(query);
        }
        if (prefer == Prefer.PRIMARY || standbyLagMillis < 0) {
            // Asked for, or its lag unknown (its last check failed): only when the primary fails too.
            return onPrimary(query).onFailure(DatabaseOutage::isOutage).recoverWithUni(failure -> onStandbyAgain(query));
        }
        return onStandby(query)
                .onFailure(DatabaseOutage::isOutage).recoverWithUni(failure -> onPrimary(query))
                .onFailure(DatabaseOutage::isOutage).recoverWithUni(failure -> onStandbyAgain(query));
    }

    /**
     * The standby after the primary failed too: during a failover the primary may be away, and a
     * connection to the standbys may reach a server that is going away (a proxy in front of
     * several): then on other connections, a moment apart.
     */
    private <T> Uni<T> onStandbyAgain(Function<SqlClient, Uni<T>> query) {
        return onStandby(query).onFailure(DatabaseOutage::isOutage).retry().withBackOff(RETRY_PAUSE).atMost(2);
    }

    /** On the read share; a read that finds it full (its queue too) is shed at once: 503, Retry-After 1. */
    private <T> Uni<T> onPrimary(Function<SqlClient, Uni<T>> query) {
        return deadline.bound(query.apply(share)).invoke(() -> primaryReads.increment())
                .onFailure(ConnectionPoolTooBusyException.class).transform(full -> {
                    shed.increment();
                    return new RetryLaterException("This replica answers as many public reads as it may at once; retry shortly", 1);
                });
    }

    private <T> Uni<T> onStandby(Function<SqlClient, Uni<T>> query) {
        return deadline.bound(query.apply(standby.orElseThrow())).invoke(() -> standbyReads.increment());
    }

    /** The primary's position first, then the standby's (see {@link ReplicaLag}); one measure at a time. */
    private void measure(Pool pool) {
        if (!measuring.compareAndSet(false, true)) {
            return;
        }
        share.query(PRIMARY_POSITION).execute()
                .invoke(rows -> lag.primaryAt(rows.iterator().next().getLong(0), System.currentTimeMillis()))
                .onFailure().recoverWithNull()
                .flatMap(sampled -> pool.query(STANDBY_POSITION).execute())
                .eventually(() -> measuring.set(false))
                .subscribe().with(rows -> {
                    var row = rows.iterator().next();
                    if (standbyLost) {
                        LOG.info("The standby answers again: public reads may go to it");
                        standbyLost = false;
                    }
                    // A standby that was promoted is a primary now: as fresh as any server.
                    standbyLagMillis = row.getBoolean(0) ? lag.lagMillis(row.getLong(1)) : 0;
                }, failure -> {
                    if (!standbyLost) {
                        LOG.warnf("The standby does not answer (%s): public reads go to the primary", failure.toString());
                        standbyLost = true;
                    }
                    standbyLagMillis = -1;
                });
    }
}
