package dev.likes.counting;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.likes.cache.ReadCaches;
import dev.likes.config.LikesConfig;
import dev.likes.db.Writes;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Tells every replica's live streams and read caches (dev.likes.live.CountFeed) which items' counts changed, on the
 * channel like_counts. The items changed by all write statements of {@code likes.live.announce-interval}
 * go out together, each once: under load that is one NOTIFY statement per interval (one per 1000
 * items) instead of one per write statement, and a hot item is announced once, not once per batch.
 * A send that fails keeps its ids for the next one; at shutdown what is pending is sent. What waits
 * is bounded ({@link #MAX_PENDING} ids): beyond, the ids are dropped and every replica is told to read
 * all its followed counts again instead ({@link #EVERYTHING}), so a flood of writes to distinct items
 * while PostgreSQL refuses notifications (its queue full behind a slow listener) cannot exhaust memory.
 */
// A singleton, not application-scoped: every click calls it, so no client proxy stands in between.
@Singleton
public class CountAnnouncer {

    /** Ids a statement announces at most. */
    static final int MAX_IDS = 1000;

    /** Ids waiting to be announced at most; beyond, {@link #EVERYTHING} is announced instead of them. */
    static final int MAX_PENDING = 100_000;

    /** The announcement that any count may have changed: not an id (the id rules exclude it). */
    public static final String EVERYTHING = "*";

    /**
     * Ends each announcing statement: this prefix and the time (epoch milliseconds) of the first change
     * it announces, so that each replica can tell how long announcements take to reach it.
     */
    public static final String SINCE = "@";

    /**
     * The streams read the counts themselves, so late or reordered notifications cannot leave them on
     * an old count. A statement of its own, not part of a write: NOTIFY makes committing transactions
     * wait for each other (a global lock held until the commit is flushed), which would serialize
     * every click. Committed without waiting for the flush, since a lost notification only delays a
     * live count (and a count kept in memory, by its age limit at most). $1 the ids, $2 {@link #SINCE}'s time.
     */
    public static final String NOTIFY = """
            SELECT set_config('synchronous_commit', 'off', true), count(pg_notify('like_counts', item_id)),
                   pg_notify('like_counts', '%s' || $2::bigint)
            FROM unnest($1::varchar[]) AS item_id
            """.formatted(SINCE);

    private static final Logger LOG = Logger.getLogger(CountAnnouncer.class);

    private final Pool pool;
    private final ReadCaches caches;
    private final PendingIds pending = new PendingIds(MAX_PENDING);
    /** When the oldest change waiting to be announced came (epoch milliseconds), 0 while none waits. */
    private final AtomicLong waitingSince = new AtomicLong();
    private final AtomicBoolean sending = new AtomicBoolean();
    private Vertx vertx;
    private long timer = -1;

    public CountAnnouncer(Pool pool, ReadCaches caches) {
        this.pool = pool;
        this.caches = caches;
    }

    void start(@Observes StartupEvent start, Vertx vertx, LikesConfig config) {
        long every = config.live().announceInterval().toMillis();
        this.vertx = vertx;
        this.timer = vertx.setPeriodic(every, tick -> send());
    }

    /** Stops the timer and sends what is pending: the last changes reach the other replicas' streams. */
    void stop(@Observes ShutdownEvent stop) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        sending.set(false);
        send();
    }

    /**
     * These items' counts changed: every replica is told within the interval (their live streams and
     * the counts they keep in memory), and this replica's own memory forgets them at once, so that
     * its next read shows what was just written here. Does not wait.
     */
    public void changed(Set<String> itemIds) {
        itemIds.forEach(caches.counts()::changed);
        waitingSince.compareAndSet(0, System.currentTimeMillis());
        pending.addAll(itemIds);
    }

    /**
     * Sends everything pending, 1000 ids a statement, one statement after another; skipped while the
     * previous send runs (what it did not take goes next time). Ids of a failed statement go back.
     */
    private void send() {
        if (pending.isEmpty() || !sending.compareAndSet(false, true)) {
            return;
        }
        long since = waitingSince.getAndSet(0);
        List<String> taken = pending.takeAll();
        List<Uni<Void>> statements = new ArrayList<>();
        for (int from = 0; from < taken.size(); from += MAX_IDS) {
            List<String> ids = taken.subList(from, Math.min(from + MAX_IDS, taken.size()));
            statements.add(Writes.execute(pool, NOTIFY, Tuple.of(ids.toArray(new String[0]), since == 0 ? System.currentTimeMillis() : since))
                    .onFailure().invoke(failure -> {
                        pending.addAll(ids);
                        LOG.debugf("Live counts not announced yet: %s", failure);
                    })
                    .onFailure().recoverWithNull()
                    .replaceWithVoid());
        }
        Uni.join().all(statements).usingConcurrencyOf(1).andCollectFailures()
                .eventually(() -> sending.set(false))
                .subscribe().with(done -> { }, failure -> { });
    }
}
