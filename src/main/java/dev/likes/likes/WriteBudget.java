package dev.likes.likes;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.likes.api.TooManyRequestsException;

/**
 * A budget of writes (likes and unlikes, repeats included) per user and replica: on average
 * {@code perSecond} a second, {@code 2 × perSecond} at once (a token bucket). Repeats are free of the
 * toggle limits (they change nothing), but each still costs a statement; this keeps one client from
 * flooding the database with them. People click far slower; a backend acting for many users has a
 * budget for each of them. In memory and bounded: at most {@code maxUsers} users are tracked (beyond,
 * Caffeine's size-based eviction forgets some; a forgotten user starts with a full budget, as after
 * a pause).
 */
final class WriteBudget {

    private final double perNano;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Cache<String, Bucket> buckets;

    /** @param perSecond writes a second per user; 0 or less: no budget */
    WriteBudget(int perSecond, long maxUsers, LongSupplier nanoTime) {
        this.perNano = perSecond / 1e9;
        this.burst = 2.0 * perSecond;
        this.nanoTime = nanoTime;
        // A bucket untouched for as long as it takes to fill up again is no different from a new one.
        Duration refill = Duration.ofMillis(perSecond > 0 ? (long) Math.ceil(2000.0 + 2000.0 / perSecond) : 1000);
        this.buckets = Caffeine.newBuilder().maximumSize(maxUsers).expireAfterAccess(refill).build();
    }

    boolean enabled() {
        return perNano > 0;
    }

    /** The 429 for a write of {@code userId} refused for {@code seconds}. */
    TooManyRequestsException refusal(String userId, long seconds) {
        return new TooManyRequestsException("Too many likes and unlikes for '" + userId + "' (at most " + describe()
                + "); retry after " + seconds + " s", seconds);
    }

    /** The budget in words. */
    String describe() {
        return Math.round(perNano * 1e9) + " a second, " + Math.round(burst) + " at once";
    }

    /** Takes one write from {@code userId}'s budget: 0 when there was room, else the whole seconds to wait. */
    long take(String userId) {
        if (!enabled()) {
            return 0;
        }
        long now = nanoTime.getAsLong();
        Bucket bucket = buckets.get(userId, user -> new Bucket(burst, now));
        synchronized (bucket) {
            bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) * perNano);
            bucket.at = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return 0;
            }
            double nanosToOne = (1 - bucket.tokens) / perNano;
            return Math.max(1, (long) Math.ceil(nanosToOne / TimeUnit.SECONDS.toNanos(1)));
        }
    }

    /** Users tracked now (for tests). */
    long users() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }
}
