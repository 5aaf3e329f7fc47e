package dev.likes.likes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.likes.api.TooManyRequestsException;
import dev.likes.config.LikesConfig;
import dev.likes.ha.LeaderJobs;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;

/**
 * The toggle-storm limits: per user, at most {@code changes-per-item} like changes on one item and
 * {@code changes-per-user} like changes in all within any 60 seconds (0 turns a limit off). They are
 * counted by PostgreSQL in each click's own statement ({@link LimitStore#DECIDED}; on Citus in a call
 * before the clicks', by the users' shard groups: {@link ShardGroupClicks}), so they hold for
 * all replicas together and concurrent clicks cannot slip past them; a repeat of the current state is
 * not a change and is never limited. The leader forgets users idle for a minute, so the table holds
 * only the users active in about the last minute.
 */
// A singleton, not application-scoped: every click calls it, so no client proxy stands in between.
@Singleton
public class ChangeLimits {

    static final Duration WINDOW = Duration.ofMinutes(1);

    private final LikesConfig.Limit limit;

    @Inject
    public ChangeLimits(LikesConfig config) {
        this(config.limit());
    }

    ChangeLimits(LikesConfig.Limit limit) {
        this.limit = limit;
    }

    void schedule(@Observes StartupEvent start, LeaderJobs jobs, LimitStore store, Clock clock) {
        if (enabled()) {
            jobs.schedule("limits-cleanup", limit.cleanupInterval(),
                    () -> Uni.createFrom().item(jobs::client).flatMap(client -> store.forgetIdleSince(client, idleSince(clock))));
        }
    }

    /** Users with no change since this instant have nothing the limits still count: they are forgotten. */
    static Instant idleSince(Clock clock) {
        return clock.instant().minus(WINDOW);
    }

    /** On Citus too, taken before the clicks' calls (ShardGroupClicks, docs/citus.md). */
    boolean enabled() {
        return limit.enabled();
    }

    int perItem() {
        return Math.max(0, limit.changesPerItem());
    }

    int perUser() {
        return Math.max(0, limit.changesPerUser());
    }

    /** The 429 for a change of {@code userId} that the limits refused for {@code seconds}. */
    TooManyRequestsException refusal(String userId, long seconds) {
        return new TooManyRequestsException("Too many like changes by '" + userId + "' (at most " + describe()
                + "); retry after " + seconds + " s", seconds);
    }

    /** The limits in words. */
    String describe() {
        return (perItem() > 0 ? perItem() + " per item" : "") + (perItem() > 0 && perUser() > 0 ? " and " : "")
                + (perUser() > 0 ? perUser() + " in all" : "") + " per minute";
    }
}
