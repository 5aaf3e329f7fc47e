package dev.likes.ha;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.likes.config.LikesConfig;
import dev.likes.db.AdvisoryLock;
import dev.likes.db.DatabaseOptions;
import dev.likes.db.PrimaryConnection;
import dev.likes.ops.Gauges;
import io.micrometer.core.instrument.Gauge;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnection;

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
 */
@ApplicationScoped
public class Leadership {

    private static final Logger LOG = Logger.getLogger(Leadership.class);

    private final LikesConfig config;
    private final DatabaseOptions databases;
    private volatile boolean leader;
    private PrimaryConnection connection;

    public Leadership(LikesConfig config, DatabaseOptions databases, Gauges gauges) {
        this.config = config;
        this.databases = databases;
        gauges.register(Gauge.builder("likes.leader", () -> leader ? 1 : 0)
                .description("1 on the replica that runs the background jobs, 0 on the others")
                );
    }

    void start(@Observes StartupEvent start, Vertx vertx) {
        connection = new PrimaryConnection(vertx, databases, config.leader().checkInterval(), "Leadership", new PrimaryConnection.Session() {
            @Override
            public Future<Void> opened(PgConnection session) {
                return tryLock(session);
            }

            @Override
            public Future<Void> beat(PgConnection session) {
                return leader ? session.query("SELECT 1").execute().<Void>mapEmpty() : tryLock(session);
            }

            @Override
            public void lost() {
                if (leader) {
                    leader = false;
                    LOG.warn("This replica lost its session on the primary and is no longer the leader");
                }
            }
        });
        connection.start();
    }

    void stop(@Observes ShutdownEvent stop) {
        if (connection != null) {
            leader = false;
            connection.stop();
        }
    }

    /** Whether this replica runs the background jobs now. */
    public boolean isLeader() {
        return leader;
    }

    private Future<Void> tryLock(PgConnection session) {
        return session.query(AdvisoryLock.LEADER.tryLock()).execute().map(rows -> {
            if (rows.iterator().next().getBoolean(0)) {
                leader = true;
                LOG.info("This replica is now the leader: it runs the background jobs (window aging, drift check, limits cleanup)");
            }
            return null;
        });
    }
}
