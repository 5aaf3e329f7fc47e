package dev.likes.live;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.likes.config.LikesConfig;
import dev.likes.likes.LikeService;
import dev.likes.likes.LikeStore;
import dev.likes.ops.Gauges;
import io.micrometer.core.instrument.Gauge;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * The live streams of this replica: who follows which items. Items announced as changed (by
 * {@link CountFeed}) are collected, and every {@code likes.live.flush-interval} the followed ones are
 * read from the primary (a standby may not have replayed what the notification announced yet) in one
 * query per 100 and sent to their streams. So a burst costs a stream
 * at most one event per item per interval, and what it shows is always a committed count, whatever
 * the order the announcements came in. A heartbeat keeps idle streams open through proxies.
 * <p>
 * Streams are capped per client (429) and the replica keeps a budget (503 beyond it): streams, item ids
 * followed by all of them together, and events waiting for each stream's client (a stream whose client
 * reads slower than its counts change is ended when its events fill it). What a replica holds for its
 * streams is bounded by that budget, so that no number of clients can exhaust its heap or crowd out
 * the clicks: the flush reads only followed items, at most two queries at a time.
 */
@ApplicationScoped
public class LiveCounts {

    private final LikeStore store;
    private final LikesConfig.Live config;
    private final Map<String, Set<LiveStream>> byItem = new ConcurrentHashMap<>();
    private final Set<LiveStream> streams = ConcurrentHashMap.newKeySet();
    private final Set<String> changed = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean flushing = new AtomicBoolean();
    private volatile boolean closing;
    private final StreamBudget budget;

    public LiveCounts(LikeStore store, Gauges gauges, LikesConfig config) {
        this.store = store;
        this.config = config.live();
        this.budget = new StreamBudget(this.config.maxStreams(), this.config.maxFollowed(), this.config.maxStreamsPerClient());
        gauges.register(Gauge.builder("likes.live.streams", streams, Set::size).description("Live count streams open"));
        gauges.register(Gauge.builder("likes.live.followed", budget, StreamBudget::followed)
                .description("Item ids followed by the open live streams, counted once per stream"));
    }

    void start(@Observes StartupEvent start, Vertx vertx) {
        vertx.setPeriodic(config.flushInterval().toMillis(), timer -> flush());
        vertx.setPeriodic(config.heartbeatInterval().toMillis(), timer -> streams.forEach(LiveStream::heartbeat));
    }

    /**
     * Events a stream may hold for a client that reads slower than they come: two flushes' worth of
     * its items, and heartbeats. Beyond, the stream ends (the client reconnects and starts afresh).
     */
    static int maxWaitingEvents(int itemIds) {
        return 2 * itemIds + 8;
    }

    /**
     * Streams end as soon as the replica starts going away, and new ones end at once: browsers
     * reconnect, to another replica, a few seconds later (an error status would stop them for good).
     */
    void endAll(@Observes ShutdownDelayInitiatedEvent going) {
        endAll();
    }

    /** Without a shutdown delay, the first sign of going away. */
    void endAll(@Observes ShutdownEvent stop) {
        endAll();
    }

    private void endAll() {
        closing = true;
        streams.forEach(LiveStream::end);
    }

    /**
     * Takes room for a stream of {@code itemIds} for {@code client}, or refuses it at once (429, 503)
     * when the client or the replica has too many. Check and take are one step: the answer's head (200)
     * goes out before its stream starts, so a later check would let a refused stream look accepted. The
     * caller gives the room back with {@link LiveStream#release} when the answer ends, which covers a
     * client gone before its stream started; a stream that ends gives it back too (whichever is first).
     */
    public LiveStream admit(List<String> itemIds, String client) {
        budget.take(itemIds, client);
        return new LiveStream(itemIds, client, stream -> budget.giveBack(stream.itemIds, stream.client));
    }

    /**
     * The counts of an admitted stream's items: their current counts first (at the next flush), then
     * every change. Ends at once while the replica is going away.
     */
    public Multi<ItemCount> open(LiveStream stream) {
        if (closing) {
            stream.release();
            return Multi.createFrom().empty();
        }
        return Multi.createFrom().<ItemCount>emitter(emitter -> {
            stream.start(emitter);
            streams.add(stream);
            for (String itemId : stream.itemIds) {
                byItem.compute(itemId, (id, watching) -> {
                    Set<LiveStream> all = watching == null ? ConcurrentHashMap.newKeySet() : watching;
                    all.add(stream);
                    return all;
                });
            }
            // Registered last: a stream that ends at once (a shutdown) is then removed from everything.
            emitter.onTermination(() -> close(stream));
            changed.addAll(stream.itemIds);
        }, maxWaitingEvents(stream.itemIds.size()));
    }

    /** An item's count changed (on any replica). */
    void changed(String itemId) {
        if (byItem.containsKey(itemId)) {
            changed.add(itemId);
        }
    }

    /** Every followed count again, from the database: after the feed may have missed announcements. */
    void resync() {
        changed.addAll(byItem.keySet());
    }

    /** Reads the changed items' counts and sends them; skipped while the previous flush still runs. */
    private void flush() {
        if (closing || changed.isEmpty() || !flushing.compareAndSet(false, true)) {
            return;
        }
        List<String> itemIds = new ArrayList<>(changed);
        changed.removeAll(itemIds);
        List<Uni<Void>> reads = new ArrayList<>();
        for (int from = 0; from < itemIds.size(); from += LikeService.MAX_BATCH) {
            List<String> chunk = itemIds.subList(from, Math.min(from + LikeService.MAX_BATCH, itemIds.size()));
            reads.add(store.counts(chunk, null)
                    .invoke(counts -> counts.forEach(count -> send(count.itemId(), count.likes())))
                    .onFailure().invoke(failure -> changed.addAll(chunk))
                    .onFailure().recoverWithNull()
                    .replaceWithVoid());
        }
        // Two reads at a time at most: a resync of many items must not crowd the clicks out of the pool.
        Uni.join().all(reads).usingConcurrencyOf(2).andCollectFailures()
                .eventually(() -> flushing.set(false)).subscribe().with(done -> { }, failure -> { });
    }

    private void send(String itemId, long likes) {
        Set<LiveStream> watching = byItem.get(itemId);
        if (watching != null) {
            watching.forEach(stream -> stream.send(itemId, likes));
        }
    }

    private void close(LiveStream stream) {
        stream.release();
        if (streams.remove(stream)) {
            for (String itemId : stream.itemIds) {
                byItem.computeIfPresent(itemId, (id, watching) -> {
                    watching.remove(stream);
                    return watching.isEmpty() ? null : watching;
                });
            }
        }
    }

}
