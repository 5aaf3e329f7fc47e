package dev.likes.likes;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The toggle-storm limits: per user, at most {@code perItem} like changes on one item and
 * {@code perUser} like changes in all within any 60 seconds (0 turns a limit off). A click reserves
 * a change before it is written and gives it back when it turned out to be a repeat, so repeats are
 * never limited and concurrent clicks cannot slip past a limit. Kept in memory, per replica, for at
 * most {@code maxUsers} users (the least recently active ones are forgotten first), so memory stays
 * bounded whatever the number of users; a forgotten user starts afresh.
 */
@ApplicationScoped
public class ChangeLimits {

    static final long WINDOW_MILLIS = 60_000;

    private final Clock clock;
    private final int perItem;
    private final int perUser;
    private final Cache<String, UserChanges> users;

    public ChangeLimits(Clock clock,
            @ConfigProperty(name = "likes.limits.changes-per-item") int perItem,
            @ConfigProperty(name = "likes.limits.changes-per-user") int perUser,
            @ConfigProperty(name = "likes.limits.max-users") int maxUsers) {
        this.clock = clock;
        this.perItem = perItem;
        this.perUser = perUser;
        // An entry idle for a whole window holds nothing that could still limit anyone.
        this.users = Caffeine.newBuilder().maximumSize(maxUsers).expireAfterAccess(Duration.ofMillis(WINDOW_MILLIS)).build();
    }

    /** The limits in words, for the 429's detail. */
    String describe() {
        return (perItem > 0 ? perItem + " per item" : "") + (perItem > 0 && perUser > 0 ? " and " : "")
                + (perUser > 0 ? perUser + " in all" : "") + " per minute";
    }

    /** One change of {@code userId} on {@code itemId}, granted or refused. */
    Reservation reserve(String userId, String itemId) {
        if (perItem <= 0 && perUser <= 0) {
            return Reservation.UNLIMITED;
        }
        long now = clock.millis();
        UserChanges changes = users.get(userId, id -> new UserChanges());
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
                // At least 1 s, at most the window (a clock stepped back must not ask for more).
                return Reservation.refused(Math.min(WINDOW_MILLIS / 1000, Math.max(1, (blockedUntil - now + 999) / 1000)));
            }
            if (perUser > 0) {
                changes.all.addLast(now);
            }
            onItem.addLast(now);
            return new Reservation(0, changes, itemId, now);
        }
    }

    /** One user's changes in the window, oldest first; guarded by itself. */
    private static final class UserChanges {
        final ArrayDeque<Long> all = new ArrayDeque<>();
        final Map<String, ArrayDeque<Long>> byItem = new HashMap<>();

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

        synchronized void giveBack(String itemId, long at) {
            all.removeLastOccurrence(at);
            ArrayDeque<Long> onItem = byItem.get(itemId);
            if (onItem != null) {
                onItem.removeLastOccurrence(at);
            }
        }
    }

    /** A granted change (retryAfterSeconds 0) that can be given back, or a refusal. */
    static final class Reservation {

        static final Reservation UNLIMITED = new Reservation(0, null, null, 0);

        final long retryAfterSeconds;
        private final UserChanges changes;
        private final String itemId;
        private final long at;

        private Reservation(long retryAfterSeconds, UserChanges changes, String itemId, long at) {
            this.retryAfterSeconds = retryAfterSeconds;
            this.changes = changes;
            this.itemId = itemId;
            this.at = at;
        }

        static Reservation refused(long retryAfterSeconds) {
            return new Reservation(retryAfterSeconds, null, null, 0);
        }

        boolean granted() {
            return retryAfterSeconds == 0;
        }

        /** The click changed nothing: its change goes back to the user's budget. */
        void giveBack() {
            if (changes != null) {
                changes.giveBack(itemId, at);
            }
        }
    }
}
