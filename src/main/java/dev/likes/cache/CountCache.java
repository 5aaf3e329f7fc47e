package dev.likes.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;

import io.smallrye.mutiny.Uni;

/**
 * Items' counts kept in memory, for public reads: a replica keeps the counts it has served, at most
 * {@code maxItems} of them (the least used go first), each at most {@code maxAge} old, and reads the
 * ones it misses with one query per request, for all the ids that request misses. Changes are
 * announced to every replica ({@link #changed}), and an announced item's count is read again on its
 * next request. The rules:
 * <ul>
 * <li>a count served is one the database had: it comes from one read, never computed here;</li>
 * <li>an item's count never goes back to an older state than one already served: reads of one item
 *     never overlap (a request that misses an item being read waits for that read), so they follow
 *     each other in time, and each one's snapshot sees all the one before saw; a read under way when
 *     its item's change is announced is served to those waiting for it but not kept;</li>
 * <li>a lost announcement costs at most {@code maxAge}: a count is never served longer after its read began;</li>
 * <li>while announcements cannot arrive (the listening connection is down, {@link #close}), nothing
 *     is kept or served from memory, and everything kept goes when they can again ({@link #open});
 *     {@link #clear} drops everything kept, and what is being read is not kept.</li>
 * </ul>
 */
public final class CountCache {

    /** Reads the counts of some items from the database in one query; an item it has no row for has 0. */
    @FunctionalInterface
    public interface Loader {
        Uni<Map<String, Long>> load(List<String> itemIds);
    }

    private sealed interface Slot permits Known, Reading {
    }

    /** A count, and when the read that found it began. */
    private record Known(long likes, long readAt) implements Slot {
    }

    /** A read under way, shared by every request that misses one of its items meanwhile. */
    private static final class Reading implements Slot {
        final CompletableFuture<Map<String, Long>> counts = new CompletableFuture<>();
        final long generation;
        final long startedAt;
        /** Its items whose change was announced while it ran: served, not kept. */
        final Set<String> changed = ConcurrentHashMap.newKeySet();

        Reading(long generation, long startedAt) {
            this.generation = generation;
            this.startedAt = startedAt;
        }
    }

    private final Cache<String, Slot> slots;
    private final long maxAgeNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong generation = new AtomicLong();
    private volatile boolean open;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder evictions = new LongAdder();

    public CountCache(int maxItems, Duration maxAge, LongSupplier nanoTime) {
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoTime = nanoTime;
        this.slots = Caffeine.newBuilder()
                .maximumSize(maxItems)
                .expireAfterWrite(maxAge)
                .executor(Runnable::run)
                .removalListener((String id, Slot slot, RemovalCause cause) -> {
                    if (cause == RemovalCause.SIZE) {
                        evictions.increment();
                    }
                })
                .build();
    }

    /**
     * The counts of {@code itemIds} (each once, in no order): from memory where it has them, the others
     * read by {@code loader} in one query (or awaited, where another request reads them now).
     */
    public Uni<Map<String, Long>> counts(List<String> itemIds, Loader loader) {
        return Uni.createFrom().deferred(() -> countsNow(itemIds, loader));
    }

    private Uni<Map<String, Long>> countsNow(List<String> itemIds, Loader loader) {
        if (!open) {
            misses.add(itemIds.size());
            return loader.load(itemIds);
        }
        long now = nanoTime.getAsLong();
        // Filled by the reads that complete, perhaps on different threads.
        Map<String, Long> known = new ConcurrentHashMap<>();
        Map<Reading, List<String>> awaited = new IdentityHashMap<>();
        Reading mine = new Reading(generation.get(), now);
        List<String> toRead = new ArrayList<>();
        for (String id : new LinkedHashSet<>(itemIds)) {
            Slot slot = slots.getIfPresent(id);
            if (!(slot instanceof Known k && fresh(k, now))) {
                slot = slots.asMap().compute(id, (key, current) -> current instanceof Reading
                        || current instanceof Known k && fresh(k, now) ? current : mine);
            }
            if (slot instanceof Known k) {
                hits.increment();
                known.put(id, k.likes());
            } else {
                misses.increment();
                if (slot == mine) {
                    toRead.add(id);
                } else {
                    awaited.computeIfAbsent((Reading) slot, reading -> new ArrayList<>()).add(id);
                }
            }
        }
        if (toRead.isEmpty() && awaited.isEmpty()) {
            return Uni.createFrom().item(known);
        }
        if (!toRead.isEmpty()) {
            // The read runs to its end whatever becomes of this request (a client gone, another part
            // failed): those who wait for it, this request among them, are always answered.
            Uni.createFrom().deferred(() -> loader.load(toRead))
                    .subscribe().with(counts -> settle(mine, toRead, counts), failure -> abandon(mine, toRead, failure));
            awaited.put(mine, toRead);
        }
        List<Uni<Void>> parts = new ArrayList<>(awaited.size());
        awaited.forEach((reading, ids) -> parts.add(Uni.createFrom().<Map<String, Long>>emitter(waiting ->
                reading.counts.whenComplete((counts, failure) -> {
                    if (failure != null) {
                        waiting.fail(failure);
                    } else {
                        waiting.complete(counts);
                    }
                }))
                .invoke(counts -> ids.forEach(id -> known.put(id, counts.getOrDefault(id, 0L))))
                .replaceWithVoid()));
        return Uni.join().all(parts).andFailFast().replaceWith(known);
    }

    private boolean fresh(Known known, long now) {
        return now - known.readAt() < maxAgeNanos;
    }

    /** A read came back: its waiters get it, and its items are kept unless announced changed (or cleared) meanwhile. */
    private void settle(Reading reading, List<String> ids, Map<String, Long> counts) {
        reading.counts.complete(counts);
        boolean keep = open && generation.get() == reading.generation;
        for (String id : ids) {
            slots.asMap().computeIfPresent(id, (key, current) -> current != reading ? current
                    : keep && !reading.changed.contains(id) ? new Known(counts.getOrDefault(id, 0L), reading.startedAt) : null);
        }
    }

    /** A read failed: its waiters fail with it, and its items are read again by the next request. */
    private void abandon(Reading reading, List<String> ids, Throwable failure) {
        reading.counts.completeExceptionally(failure);
        ids.forEach(id -> slots.asMap().remove(id, reading));
    }

    /** An item's count changed (announced by a replica, or written here): it is read again next time. */
    public void changed(String itemId) {
        slots.asMap().computeIfPresent(itemId, (key, current) -> {
            if (current instanceof Reading reading) {
                reading.changed.add(key);
                return current;
            }
            return null;
        });
    }

    /** Anything may have changed: everything kept goes, and nothing being read now is kept. */
    public void clear() {
        generation.incrementAndGet();
        slots.invalidateAll();
    }

    /** Announcements arrive (again): counts may be kept and served from now on, starting afresh. */
    public void open() {
        clear();
        open = true;
    }

    /** Announcements cannot arrive: nothing is served from memory until {@link #open}. */
    public void close() {
        open = false;
        clear();
    }

    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }

    public long evictions() {
        return evictions.sum();
    }

    public long entries() {
        return slots.estimatedSize();
    }
}
