package dev.likes.live;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.likes.api.IdRules;
import dev.likes.cache.ReadCaches;
import dev.likes.counting.CountAnnouncer;
import dev.likes.db.DatabaseOptions;
import dev.likes.db.PrimaryConnection;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnection;

/**
 * Listens to the channel on which every replica announces the counts its writes changed
 * ({@code CountAnnouncer.NOTIFY}, within {@code likes.live.announce-interval} of each write) and tells {@link LiveCounts} which
 * items changed, and the counts this replica keeps in memory (dev.likes.cache). So a count changed
 * through any replica reaches the live streams and the reads of every replica. While the connection
 * is down nothing is served from memory (announcements would be missed), and what was kept goes.
 * One connection per replica, outside the pool, on the primary (a standby has no notifications):
 * it is opened again whenever it is lost, a failover included, and after each (re)connection the
 * streams are brought up to date, since notifications sent meanwhile are lost.
 */
@ApplicationScoped
public class CountFeed {

    public static final String CHANNEL = "like_counts";

    /** How often the listening connection proves it is alive, and how soon a lost one is tried again. */
    static final Duration HEARTBEAT = Duration.ofSeconds(1);

    private final LiveCounts live;
    private final ReadCaches caches;
    private PrimaryConnection connection;

    public CountFeed(LiveCounts live, ReadCaches caches) {
        this.live = live;
        this.caches = caches;
    }

    void start(@Observes StartupEvent start, Vertx vertx, DatabaseOptions databases) {
        connection = new PrimaryConnection(vertx, databases.primary().addProperty("application_name", "likes-count-feed"), HEARTBEAT, "Live counts", new PrimaryConnection.Session() {
            @Override
            public Future<Void> opened(PgConnection session) {
                session.notificationHandler(notification -> onNotification(notification.getPayload()));
                return session.query("LISTEN " + CHANNEL).execute().<Void>mapEmpty().onSuccess(listening -> {
                    if (caches.countsKept()) {
                        caches.counts().open();
                    }
                    live.resync();
                });
            }

            @Override
            public Future<Void> beat(PgConnection session) {
                return session.query("SELECT 1").execute().mapEmpty();
            }

            @Override
            public void lost() {
                // The streams keep their last counts until the next connection resyncs them; reads go to the database.
                caches.counts().close();
            }
        });
        connection.start();
    }

    void stop(@Observes ShutdownEvent stop) {
        if (connection != null) {
            connection.stop();
        }
    }

    /**
     * The payload is the id of an item whose count changed, that any may have
     * ({@link CountAnnouncer#EVERYTHING}), or when the changes a statement announced began ({@link CountAnnouncer#SINCE}).
     */
    private void onNotification(String payload) {
        if (IdRules.isValid(payload)) {
            caches.counts().changed(payload);
            live.changed(payload);
        } else if (CountAnnouncer.EVERYTHING.equals(payload)) {
            caches.counts().clear();
            live.resync();
        } else if (payload.startsWith(CountAnnouncer.SINCE)) {
            try {
                caches.announced(System.currentTimeMillis() - Long.parseLong(payload.substring(CountAnnouncer.SINCE.length())));
            } catch (NumberFormatException notOurs) {
                // another writer's payload on the channel: ignored
            }
        }
    }
}
