package dev.likes.live;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.likes.api.RetryLaterException;
import dev.likes.api.TooManyRequestsException;
import dev.likes.likes.LikeService;
import dev.likes.likes.LikeStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * The live streams of this replica: who follows which items. Items announced as changed (by
 * {@link CountFeed}) are collected, and every {@code likes.live.flush-interval} the followed ones are
 * read from the database in one query per 100 and sent to their streams. So a burst costs a stream
 * at most one event per item per interval, and what it shows is always a committed count, whatever
 * the order the announcements came in. A heartbeat keeps idle streams open through proxies. Streams
 * are capped per client and in all.
 */
@ApplicationScoped
public class LiveCounts {

    private final LikeStore store;
    private final int maxPerClient;
    private final int maxStreams;
    private final Map<String, Set<LiveStream>> byItem = new ConcurrentHashMap<>();
    private final Map<String, Integer> byClient = new ConcurrentHashMap<>();
    private final Set<LiveStream> streams = ConcurrentHashMap.newKeySet();
    private final Set<String> changed = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean flushing = new AtomicBoolean();
    private volatile boolean closing;

    /** Events a stream may hold for a client that reads slower than they come (over two flushes of 100 items). */
    static final int MAX_WAITING_EVENTS = 256;

    public LiveCounts(LikeStore store, MeterRegistry registry,
            @ConfigProperty(name = "likes.live.max-streams-per-client") int maxPerClient,
            @ConfigProperty(name = "likes.live.max-streams") int maxStreams) {
        this.store = store;
        this.maxPerClient = maxPerClient;
        this.maxStreams = maxStreams;
        Gauge.builder("likes.live.streams", streams, Set::size).description("Live count streams open").register(registry);
    }

    void start(@Observes StartupEvent start, Vertx vertx,
            @ConfigProperty(name = "likes.live.flush-interval") Duration flush,
            @ConfigProperty(name = "likes.live.heartbeat-interval") Duration heartbeat) {
        vertx.setPeriodic(flush.toMillis(), timer -> flush());
        vertx.setPeriodic(heartbeat.toMillis(), timer -> streams.forEach(LiveStream::heartbeat));
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
     * A stream of the counts of {@code itemIds} for {@code client}: their current counts first (at the
     * next flush), then every change. Refused at once (429, 503) when the client or the replica has
     * too many; a slot is taken only once the stream really starts, and given back when it ends.
     */
    public Multi<ItemCount> open(List<String> itemIds, String client) {
        if (closing) {
            return Multi.createFrom().empty();
        }
        if (streams.size() >= maxStreams) {
            throw new RetryLaterException("Too many live streams on this replica; retry shortly");
        }
        if (byClient.getOrDefault(client, 0) >= maxPerClient) {
            throw new TooManyRequestsException("At most " + maxPerClient + " live streams per client; close one first", 5);
        }
        // A client that stops reading gets its stream ended once this many events wait, not the heap filled.
        return Multi.createFrom().<ItemCount>emitter(emitter -> {
            LiveStream stream = new LiveStream(itemIds, client, emitter);
            byClient.merge(client, 1, Integer::sum);
            streams.add(stream);
            emitter.onTermination(() -> close(stream));
            for (String itemId : itemIds) {
                byItem.compute(itemId, (id, watching) -> {
                    Set<LiveStream> all = watching == null ? ConcurrentHashMap.newKeySet() : watching;
                    all.add(stream);
                    return all;
                });
            }
            changed.addAll(itemIds);
        }, MAX_WAITING_EVENTS);
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
        if (changed.isEmpty() || !flushing.compareAndSet(false, true)) {
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
        if (streams.remove(stream)) {
            for (String itemId : stream.itemIds) {
                byItem.computeIfPresent(itemId, (id, watching) -> {
                    watching.remove(stream);
                    return watching.isEmpty() ? null : watching;
                });
            }
            byClient.computeIfPresent(stream.client, (id, open) -> open <= 1 ? null : open - 1);
        }
    }

}
