package dev.likes.likes;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * The toggle-storm limits: per user, at most {@code perItem} like changes on one item and
 * {@code perUser} like changes in all within any 60 seconds (0 turns a limit off). A click reserves
 * a change before it is written and gives it back when it turned out to be a repeat, so repeats are
 * never limited and concurrent clicks cannot slip past a limit. Kept in memory, per replica.
 */
@ApplicationScoped
public class ChangeLimits {

    static final long WINDOW_MILLIS = 60_000;

    private final Clock clock;
    private final int perItem;
    private final int perUser;
    private final Map<String, UserChanges> users = new ConcurrentHashMap<>();

    public ChangeLimits(Clock clock,
            @ConfigProperty(name = "likes.limits.changes-per-item") int perItem,
            @ConfigProperty(name = "likes.limits.changes-per-user") int perUser) {
        this.clock = clock;
        this.perItem = perItem;
        this.perUser = perUser;
    }

    /** Forgets users whose changes have all left the window, so memory follows active users only. */
    void sweep(@Observes StartupEvent start, Vertx vertx) {
        vertx.setPeriodic(WINDOW_MILLIS, timer -> {
            long since = clock.millis() - WINDOW_MILLIS;
            users.values().removeIf(changes -> changes.idleSince(since));
        });
    }

    /** The limits in words, for the 429's detail. */
    String describe() {
        return (perItem > 0 ? perItem + " per item" : "") + (perItem > 0 && perUser > 0 ? " and " : "")
                + (perUser > 0 ? perUser + " in all" : "") + " per minute";
    }

    boolean enabled() {
        return perItem > 0 || perUser > 0;
    }

    /**
     * Reserves one change of {@code userId} on {@code itemId}: 0 when granted, otherwise the seconds
     * until the oldest change that stands in the way leaves the window.
     */
    long reserve(String userId, String itemId) {
        if (!enabled()) {
            return 0;
        }
        long now = clock.millis();
        UserChanges changes = users.computeIfAbsent(userId, id -> new UserChanges());
        synchronized (changes) {
            changes.forgetBefore(now - WINDOW_MILLIS);
            ArrayDeque<Long> onItem = changes.byItem.computeIfAbsent(itemId, id -> new ArrayDeque<>());
            long blockedUntil = 0;
            if (perUser > 0 && changes.all.size() >= perUser) {
                blockedUntil = changes.all.peekFirst() + WINDOW_MILLIS;
            }
            if (perItem > 0 && onItem.size() >= perItem) {
                blockedUntil = Math.max(blockedUntil, onItem.peekFirst() + WINDOW_MILLIS);
            }
            if (blockedUntil > 0) {
                if (onItem.isEmpty()) {
                    changes.byItem.remove(itemId);
                }
                return Math.max(1, (blockedUntil - now + 999) / 1000);
            }
            changes.all.addLast(now);
            onItem.addLast(now);
            changes.lastChange = now;
            return 0;
        }
    }

    /** Gives back a reservation whose click changed nothing. */
    void release(String userId, String itemId) {
        UserChanges changes = users.get(userId);
        if (changes == null) {
            return;
        }
        synchronized (changes) {
            changes.all.pollLast();
            ArrayDeque<Long> onItem = changes.byItem.get(itemId);
            if (onItem != null) {
                onItem.pollLast();
            }
        }
    }

    /** One user's changes in the window, oldest first; guarded by itself. */
    private static final class UserChanges {
        final ArrayDeque<Long> all = new ArrayDeque<>();
        final Map<String, ArrayDeque<Long>> byItem = new HashMap<>();
        long lastChange;

        void forgetBefore(long since) {
            while (!all.isEmpty() && all.peekFirst() <= since) {
                all.pollFirst();
            }
            byItem.values().removeIf(times -> {
                while (!times.isEmpty() && times.peekFirst() <= since) {
                    times.pollFirst();
                }
                return times.isEmpty();
            });
        }

        synchronized boolean idleSince(long since) {
            return lastChange <= since;
        }
    }
}
