package dev.likes.live;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import dev.likes.api.IdRules;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;

/**
 * Listens to the channel on which every replica announces the counts its writes changed
 * ({@code LikeStore.NOTIFY}, right after each write statement) and tells {@link LiveCounts} which
 * items changed.
 * So a count changed through any replica reaches the live streams of every replica. One connection
 * per replica, outside the pool; it reconnects by itself, and after each (re)connection the streams
 * are brought up to date, since notifications sent meanwhile are lost.
 */
@ApplicationScoped
public class CountFeed {

    public static final String CHANNEL = "like_counts";

    private static final Logger LOG = Logger.getLogger(CountFeed.class);
    private static final long RETRY_MILLIS = 1000;

    private final LiveCounts live;
    private PgSubscriber subscriber;
    private volatile boolean stopped;

    public CountFeed(LiveCounts live) {
        this.live = live;
    }

    void start(@Observes StartupEvent start, Vertx vertx, Config config) {
        subscriber = PgSubscriber.subscriber(vertx, connectOptions(config));
        subscriber.reconnectPolicy(attempts -> RETRY_MILLIS);
        subscriber.channel(CHANNEL)
                .subscribeHandler(ignored -> live.resync())
                .handler(this::onNotification);
        connect(vertx);
    }

    void stop(@Observes ShutdownEvent stop) {
        stopped = true;
        if (subscriber != null) {
            subscriber.close();
        }
    }

    /**
     * The first connection is retried too (the reconnect policy covers only a connection that was
     * up): the subscriber is closed first, since it ignores connect() until it is.
     */
    private void connect(Vertx vertx) {
        subscriber.connect().onFailure(failure -> {
            LOG.warnf("Live counts: cannot listen yet (%s); retrying", failure.toString());
            subscriber.close().onComplete(closed -> {
                if (!stopped) {
                    vertx.setTimer(RETRY_MILLIS, timer -> connect(vertx));
                }
            });
        });
    }

    /** The payload is the id of an item whose count changed. */
    private void onNotification(String itemId) {
        if (IdRules.isValid(itemId)) {
            live.changed(itemId);
        }
    }

    /** The pool's own database, from the same configuration. */
    private static PgConnectOptions connectOptions(Config config) {
        String url = config.getValue("quarkus.datasource.reactive.url", String.class).replaceFirst("^vertx-reactive:", "");
        PgConnectOptions options = PgConnectOptions.fromUri(url);
        config.getOptionalValue("quarkus.datasource.username", String.class).ifPresent(options::setUser);
        config.getOptionalValue("quarkus.datasource.password", String.class).ifPresent(options::setPassword);
        options.setConnectTimeout((int) Duration.ofSeconds(1).toMillis());
        options.setTcpKeepAlive(true); // a connection the network dropped silently is noticed
        return options;
    }
}
