package dev.likes.likes;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.likes.config.LikesConfig;
import dev.likes.db.Writes;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Tells every replica's live streams (dev.likes.live.CountFeed) which items' counts changed, on the
 * channel like_counts. The items changed by all write statements of {@code likes.live.announce-interval}
 * go out together, each once, in one statement: under load that is one pool statement per interval
 * instead of one per write statement, and a hot item is announced once, not once per batch.
 */
@ApplicationScoped
public class CountAnnouncer {

    /**
     * The streams read the counts themselves, so late or reordered notifications cannot leave them on
     * an old count. A statement of its own, not part of a write: NOTIFY makes committing transactions
     * wait for each other (a global lock held until the commit is flushed), which would serialize
     * every click. Committed without waiting for the flush, since a lost notification only delays a
     * live count.
     */
    public static final String NOTIFY = """
            SELECT set_config('synchronous_commit', 'off', true), count(pg_notify('like_counts', item_id))
            FROM unnest($1::varchar[]) AS item_id
            """;

    /** Ids a statement announces at most. */
    static final int MAX_IDS = 1000;

    private static final Logger LOG = Logger.getLogger(CountAnnouncer.class);

    private final Pool pool;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean sending = new AtomicBoolean();

    public CountAnnouncer(Pool pool) {
        this.pool = pool;
    }

    void start(@Observes StartupEvent start, Vertx vertx, LikesConfig config) {
        vertx.setPeriodic(config.live().announceInterval().toMillis(), timer -> send());
    }

    /** These items' counts changed; they are announced within the interval. Does not wait. */
    public void changed(Set<String> itemIds) {
        pending.addAll(itemIds);
    }

    /** Sends what is pending; skipped while the previous send runs (what it missed goes next time). */
    private void send() {
        if (pending.isEmpty() || !sending.compareAndSet(false, true)) {
            return;
        }
        List<String> ids = new ArrayList<>(MAX_IDS);
        for (String id : pending) {
            if (ids.size() == MAX_IDS) {
                break;
            }
            ids.add(id);
        }
        pending.removeAll(ids);
        Writes.execute(pool, NOTIFY, Tuple.of(ids.toArray(new String[0])))
                .eventually(() -> sending.set(false))
                .subscribe().with(done -> { }, failure -> LOG.debugf("Live counts not announced: %s", failure));
    }
}
