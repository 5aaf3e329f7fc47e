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
import dev.likes.metrics.Gauges;
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
 * query per 100 and sent to their streams, in two lanes: announced changes, and the first counts of
 * streams opened since the last flush. So a burst costs a stream at most one event per item per interval,
 * and what it shows is always a committed count, whatever the order the announcements came in. A
 * heartbeat keeps idle streams open through proxies.
 * <p>
 * Streams are capped per client (429) and the replica keeps a budget (503 beyond it): streams, item ids
 * followed by all of them together, and events waiting for each stream's client (a stream whose client
 * reads slower than its counts change is ended when its events fill it). Everything held for a stream
 * lives exactly as long as its room in the budget ({@link LiveStream#end}), and the items waiting for a
 * flush are always followed ones, so what the replica holds has a ceiling that no pattern of traffic
 * passes, however fast streams open and close: {@code likes.live.max-streams} streams,
 * {@code likes.live.max-followed} followed ids, at most as many items to read per flush, and two
 * flushes' worth of events per stream. The flush reads at most two queries at a time, so that no
 * number of clients crowds out the clicks.
 */
@ApplicationScoped
public class LiveCounts {

    private final LikeStore store;
    private final LikesConfig.Live config;
    private final Map<String, Set<LiveStream>> byItem = new ConcurrentHashMap<>();
    private final Set<LiveStream> streams = ConcurrentHashMap.newKeySet();
    /** Followed items announced as changed since the last flush. */
    private final Set<String> changed = ConcurrentHashMap.newKeySet();
    /** Items of streams opened since the last flush, whose first counts they still wait for. */
    private final Set<String> opened = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean flushingChanged = new AtomicBoolean();
    private final AtomicBoolean flushingOpened = new AtomicBoolean();
    private volatile boolean closing;
    private final StreamBudget budget;

    public LiveCounts(LikeStore store, Gauges gauges, LikesConfig config) {
        this.store = store;
        this.config = config.live();
        this.budget = new StreamBudget(this.config.maxStreams(), this.config.maxFollowed(), this.config.maxStreamsPerClient());
        gauges.register(Gauge.builder("likes.live.streams", streams, Set::size).description("Live count streams open"));
        gauges.register(Gauge.builder("likes.live.followed", budget, StreamBudget::followed)
                .description("Item ids followed by the open live streams, counted once per stream"));
        gauges.register(Gauge.builder("likes.live.items", byItem, Map::size)
                .description("Distinct items the open live streams follow"));
        gauges.register(Gauge.builder("likes.live.pending", () -> changed.size() + opened.size())
                .description("Followed items waiting for the next flush of live counts"));
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
     * caller ends the stream ({@link LiveStream#end}) when the answer or its connection ends, which
     * covers a client gone before its stream started.
     */
    public LiveStream admit(List<String> itemIds, String client) {
        budget.take(itemIds, client);
        return new LiveStream(itemIds, client, this::forget);
    }

    /**
     * The counts of an admitted stream's items: their current counts first (at the next flush), then
     * every change. Ends at once while the replica is going away.
     */
    public Multi<ItemCount> open(LiveStream stream) {
        return Multi.createFrom().<ItemCount>emitter(emitter -> {
            emitter.onTermination(stream::end);
            if (!stream.start(emitter, () -> !closing && register(stream))) {
                stream.end();
                emitter.complete();
            } else if (closing) {
                stream.end(); // the replica began going away as it started: endAll may not have seen it
            }
        }, maxWaitingEvents(stream.itemIds.size()));
    }

    /** Called under the stream's lock, once, as it starts. */
    private boolean register(LiveStream stream) {
        streams.add(stream);
        for (String itemId : stream.itemIds) {
            byItem.computeIfAbsent(itemId, id -> ConcurrentHashMap.newKeySet()).add(stream);
        }
        opened.addAll(stream.itemIds);
        return true;
    }

    /**
     * Everything the replica holds for a stream goes, with its room in the budget: called once, by
     * {@link LiveStream#end}, under the stream's lock. An item no stream follows any more leaves the
     * items waiting for a flush too.
     */
    private void forget(LiveStream stream) {
        budget.giveBack(stream.itemIds, stream.client);
        if (streams.remove(stream)) {
            for (String itemId : stream.itemIds) {
                byItem.computeIfPresent(itemId, (id, watching) -> {
                    watching.remove(stream);
                    if (!watching.isEmpty()) {
                        return watching;
                    }
                    changed.remove(id);
                    opened.remove(id);
                    return null;
                });
            }
        }
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

    /**
     * Reads the waiting items' counts and sends them, in two lanes of one query at a time each: the
     * announced changes, and the first counts of new streams. So streams that open by the thousand
     * (each waiting for its first counts) never hold up the news of the streams already open. A lane
     * skips a flush while its previous one still runs; only items some stream still follows are read.
     */
    private void flush() {
        if (!closing) {
            flush(changed, flushingChanged);
            flush(opened, flushingOpened);
        }
    }

    private void flush(Set<String> waiting, AtomicBoolean flushing) {
        if (waiting.isEmpty() || !flushing.compareAndSet(false, true)) {
            return;
        }
        List<String> itemIds = takeFollowed(waiting);
        List<Uni<Void>> reads = new ArrayList<>();
        for (int from = 0; from < itemIds.size(); from += LikeService.MAX_BATCH) {
            List<String> chunk = itemIds.subList(from, Math.min(from + LikeService.MAX_BATCH, itemIds.size()));
            reads.add(store.counts(chunk, null)
                    .invoke(counts -> counts.forEach(count -> send(count.itemId(), count.likes())))
                    .onFailure().invoke(failure -> chunk.forEach(this::changed))
                    .onFailure().recoverWithNull()
                    .replaceWithVoid());
        }
        if (reads.isEmpty()) {
            flushing.set(false);
            return;
        }
        // One read at a time per lane: a resync of many items must not crowd the clicks out of the pool.
        Uni.join().all(reads).usingConcurrencyOf(1).andCollectFailures()
                .eventually(() -> flushing.set(false)).subscribe().with(done -> { }, failure -> { });
    }

    /** Takes the items out of {@code waiting}, keeping only those a stream follows now. */
    private List<String> takeFollowed(Set<String> waiting) {
        List<String> taken = new ArrayList<>();
        for (String itemId : waiting) {
            if (waiting.remove(itemId) && byItem.containsKey(itemId)) {
                taken.add(itemId);
            }
        }
        return taken;
    }

    private void send(String itemId, long likes) {
        Set<LiveStream> watching = byItem.get(itemId);
        if (watching != null) {
            watching.forEach(stream -> stream.send(itemId, likes));
        }
    }
}
