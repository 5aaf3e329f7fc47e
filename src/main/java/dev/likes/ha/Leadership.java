package dev.likes.ha;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.likes.config.LikesConfig;
import dev.likes.db.AdvisoryLock;
import dev.likes.db.DatabaseOptions;
import dev.likes.db.PrimaryConnection;
import dev.likes.metrics.Gauges;
import io.micrometer.core.instrument.Gauge;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;

/**
 * Which replica runs the background jobs ({@link LeaderJobs}): the one whose session holds the
 * advisory lock {@link AdvisoryLock#LEADER} on the primary. Every replica keeps a connection of its own
 * for it ({@link PrimaryConnection}) and, while it is not the leader, tries the lock every
 * {@code likes.leader.check-interval}. The leader checks its session as often and steps down as soon as
 * the session is lost. When the leader dies its session ends, the server frees the lock, and another
 * replica takes it at its next try: within one check interval of the server noticing (at once for a
 * killed process, whose socket the kernel closes; within about ten check intervals for a host that
 * vanished, by the session's TCP keepalives). A leader cut off from the database stops leading after
 * three silent heartbeats, before the server frees its lock (see {@link PrimaryConnection}). The
 * gauge {@code likes_leader} is 1 on the leader.
 * <p>
 * Each time a replica takes the lock a new {@link Term} begins, and the leader's work runs on
 * connections fenced to it ({@link LeaderPool}): taking the lock, the new leader ends every fenced
 * connection of the replicas before it, and a fenced connection serves only while its term's lock
 * session holds the lock. So a leader that lost its session without noticing yet (a network that
 * dropped that one connection, a long pause) cannot keep writing beside the next one. This needs
 * session-level advisory locks: a pooler in transaction mode between the service and PostgreSQL
 * (PgBouncer's {@code pool_mode = transaction}, for one) breaks them, and every replica must connect
 * as the same role (or one that may end the others' sessions, pg_signal_backend).
 */
@ApplicationScoped
public class Leadership {

    private static final Logger LOG = Logger.getLogger(Leadership.class);

    /**
     * Run by a replica as it takes the lock: its session's backend, and the end of every fenced
     * connection of an earlier term (another replica's, or this one's before it lost the lock).
     */
    static final String TAKE_OVER = "SELECT pg_backend_pid() AS pid, (SELECT count(pg_terminate_backend(pid)) "
            + "FROM pg_stat_activity WHERE application_name = '" + LeaderPool.APPLICATION_NAME + "' "
            + "AND datname = current_database()) AS ended";

    /** One stretch of this replica's leadership: from taking the lock to losing it, on one lock session. */
    public record Term(long number, int sessionPid) {
    }

    private final LikesConfig config;
    private final DatabaseOptions databases;
    private final List<LeaderPool> pools = new CopyOnWriteArrayList<>();
    private volatile Term term;
    private long terms;
    private final Vertx vertx;
    private PrimaryConnection connection;

    public Leadership(LikesConfig config, DatabaseOptions databases, Gauges gauges, Vertx vertx) {
        this.config = config;
        this.databases = databases;
        this.vertx = vertx;
        gauges.register(Gauge.builder("likes.leader", () -> term != null ? 1 : 0)
                .description("1 on the replica that runs the background jobs, 0 on the others")
                );
    }

    void start(@Observes StartupEvent start) {
        if (config.imports().asked()) {
            return; // an import command (dev.likes.imports) is no replica: it never leads
        }
        PgConnectOptions named = databases.primary().addProperty("application_name", "likes-leadership");
        connection = new PrimaryConnection(vertx, named, config.leader().checkInterval(), "Leadership", new PrimaryConnection.Session() {
            @Override
            public Future<Void> opened(PgConnection session) {
                return tryLock(session);
            }

            @Override
            public Future<Void> beat(PgConnection session) {
                return term != null ? session.query("SELECT 1").execute().<Void>mapEmpty() : tryLock(session);
            }

            @Override
            public void lost() {
                if (term != null) {
                    endTerm();
                    LOG.warn("This replica lost its session on the primary and is no longer the leader");
                }
            }
        });
        connection.start();
    }

    void stop(@Observes ShutdownEvent stop) {
        if (connection != null) {
            endTerm();
            connection.stop();
        }
    }

    /** Whether this replica runs the background jobs now. */
    public boolean isLeader() {
        return term != null;
    }

    /** The current term, while this replica leads. */
    public Optional<Term> term() {
        return Optional.ofNullable(term);
    }

    /**
     * Connections for the leader's work, fenced to its terms: at most {@code size}, each waited for up
     * to {@code patience}, made from the primary's options as {@code tune} adjusts them.
     */
    public LeaderPool pool(int size, Duration patience, UnaryOperator<PgConnectOptions> tune) {
        LeaderPool pool = new LeaderPool(this, vertx, databases, tune.apply(databases.primary()), size, patience);
        pools.add(pool);
        return pool;
    }

    private void endTerm() {
        term = null;
        pools.forEach(LeaderPool::close);
    }

    private Future<Void> tryLock(PgConnection session) {
        return session.query(AdvisoryLock.LEADER.tryLock()).execute().compose(rows -> !rows.iterator().next().getBoolean(0)
                ? Future.succeededFuture()
                : session.query(TAKE_OVER).execute().map(taken -> {
                    Row row = taken.iterator().next();
                    term = new Term(++terms, row.getInteger("pid"));
                    LOG.infof("This replica is now the leader: it runs the background jobs (window aging, the hot re-base, drift check, limits "
                            + "cleanup, lifecycle jobs, the event relay); it ended %d connection(s) of an earlier leader",
                            row.getLong("ended"));
                    return null;
                }));
    }
}
