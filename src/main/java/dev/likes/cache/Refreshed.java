package dev.likes.cache;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;

/**
 * A value everyone asks for (a ranking's first page), kept in memory and read again at most every
 * {@code maxAge}: however many ask at once when it is due, one read runs and all of them wait for it
 * (single flight). A value served is at most {@code maxAge} older than the read that found it began.
 * A failed read is not kept: the next request tries again.
 */
public final class Refreshed<T> {

    private record Read<T>(T value, long startedAt) {
    }

    private final long maxAgeNanos;
    private final Supplier<Uni<T>> read;
    private final LongSupplier nanoTime;
    private volatile Read<T> last;
    /** The read under way, shared; guarded by this. */
    private Uni<T> reading;
    private final LongAdder hits = new LongAdder();
    private final LongAdder reads = new LongAdder();

    public Refreshed(Duration maxAge, Supplier<Uni<T>> read, LongSupplier nanoTime) {
        this.maxAgeNanos = maxAge.toNanos();
        this.read = read;
        this.nanoTime = nanoTime;
    }

    public Uni<T> get() {
        Read<T> known = last;
        if (known != null && nanoTime.getAsLong() - known.startedAt() < maxAgeNanos) {
            hits.increment();
            return Uni.createFrom().item(known.value());
        }
        synchronized (this) {
            if (reading == null) {
                reads.increment();
                long startedAt = nanoTime.getAsLong();
                reading = Uni.createFrom().<T>deferred(read::get)
                        .invoke(value -> last = new Read<>(value, startedAt))
                        .eventually(this::done)
                        .memoize().indefinitely();
            } else {
                hits.increment();
            }
            return reading;
        }
    }

    private synchronized void done() {
        reading = null;
    }

    /** Requests answered from memory, or by a read another request had begun. */
    public long hits() {
        return hits.sum();
    }

    /** Reads of the database. */
    public long reads() {
        return reads.sum();
    }
}
