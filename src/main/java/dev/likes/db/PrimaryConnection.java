package dev.likes.db;

import java.time.Duration;

import org.jboss.logging.Logger;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;

/**
 * A connection to the primary kept open outside the pool, for what lives as long as a session: the
 * live counts' LISTEN, the leader's advisory lock. It is opened at start and again whenever it is lost
 * (a failover, a restart, a dropped network), every heartbeat until it succeeds; one that reaches a
 * server in recovery is closed and tried again, since LISTEN and locks mean nothing there. While it is
 * up, it answers a heartbeat statement; three heartbeats of silence close it. Everything runs on one
 * Vert.x context, so a {@link Session} is never called concurrently.
 */
public final class PrimaryConnection {

    /** What the connection is for. */
    public interface Session {

        /** The connection is up, on the primary. A failure closes it (and it is opened again). */
        Future<Void> opened(PgConnection connection);

        /** Every heartbeat while the connection is up. A failure closes it. */
        Future<Void> beat(PgConnection connection);

        /** The connection is gone; it will be opened again. */
        void lost();
    }

    private static final Logger LOG = Logger.getLogger(PrimaryConnection.class);

    private final Vertx vertx;
    private final PgConnectOptions options;
    private final Duration heartbeat;
    private final String purpose;
    private final Session session;

    private Context context;
    private long timer = -1;
    /** The following are touched on {@link #context} only. */
    private PgConnection connection;
    private boolean busy;
    private boolean stopped;
    private boolean warned;

    /** {@code options}: the primary's, as {@link DatabaseOptions#primary()} gives them (a copy of its own). */
    public PrimaryConnection(Vertx vertx, PgConnectOptions options, Duration heartbeat, String purpose, Session session) {
        this.vertx = vertx;
        this.heartbeat = heartbeat;
        this.purpose = purpose;
        this.session = session;
        // Silence for three heartbeats closes the connection (and ends a leader's leadership).
        options.setReadIdleTimeout(Math.toIntExact(heartbeat.multipliedBy(3).toMillis()));
        // The server notices a replica that vanished without closing its socket (and frees its locks)
        // only later: after five heartbeats of silence and five probes a second apart, or five
        // heartbeats of unacknowledged data. So a lock's old holder has always let go first.
        long idleSeconds = Math.max(1, heartbeat.multipliedBy(5).toSeconds());
        this.options = options
                .addProperty("tcp_keepalives_idle", Long.toString(idleSeconds))
                .addProperty("tcp_keepalives_interval", "1")
                .addProperty("tcp_keepalives_count", "5")
                .addProperty("tcp_user_timeout", Long.toString(heartbeat.multipliedBy(5).toMillis()));
    }

    public void start() {
        context = vertx.getOrCreateContext();
        context.runOnContext(started -> timer = vertx.setPeriodic(1, heartbeat.toMillis(), tick -> tick()));
    }

    /** Closes the connection for good (at shutdown): the session is not told it was lost. */
    public void stop() {
        if (context == null) {
            return;
        }
        context.runOnContext(stopping -> {
            stopped = true;
            vertx.cancelTimer(timer);
            PgConnection closing = connection;
            connection = null;
            if (closing != null) {
                closing.close();
            }
        });
    }

    /** One heartbeat: open the connection if it is down, or check it if it is up; never two at once. */
    private void tick() {
        if (stopped || busy) {
            return;
        }
        busy = true;
        Future<Void> step = connection == null ? open() : session.beat(connection).onFailure(failure -> close(failure));
        step.onComplete(done -> busy = false);
    }

    private Future<Void> open() {
        return PgConnection.connect(vertx, options).compose(opened -> {
            if (stopped) {
                opened.close();
                return Future.failedFuture("stopped");
            }
            connection = opened;
            opened.closeHandler(closed -> lost(opened));
            return opened.query(InRecovery.QUERY).execute().compose(rows -> InRecovery.of(rows)
                    ? Future.failedFuture("the server is in recovery, not the primary")
                    : session.opened(opened));
        })
                .onSuccess(up -> {
                    if (warned) {
                        LOG.infof("%s: connected to the primary again", purpose);
                    }
                    warned = false;
                })
                .onFailure(failure -> {
                    if (!warned) {
                        LOG.warnf("%s: no connection to the primary yet (%s); trying again every %s", purpose, failure, heartbeat);
                        warned = true;
                    }
                    close(null);
                });
    }

    /** Closes the connection on purpose: after a failed heartbeat, or when it could not be set up. */
    private void close(Throwable failure) {
        PgConnection closing = connection;
        if (closing != null) {
            if (failure != null) {
                LOG.warnf("%s: closing the connection to the primary (%s)", purpose, failure.toString());
            }
            connection = null;
            closing.close();
            session.lost();
        }
    }

    /** The connection closed by itself (the server or the network ended it). */
    private void lost(PgConnection closed) {
        if (connection == closed) {
            connection = null;
            session.lost();
        }
    }
}
