package dev.likes.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import io.quarkus.runtime.StartupEvent;

/**
 * Checks every {@code likes.*} setting at start, before anything uses one, and refuses to start with
 * all the settings that are out of range named at once: a pool of 0 connections or a negative interval
 * would otherwise surface later, as a hang or an odd error far from its cause. Zero means "off" where
 * {@link LikesConfig} says so, and only there.
 */
@ApplicationScoped
public class LikesConfigCheck {

    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent start, LikesConfig config) {
        List<String> problems = problems(config);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("The service's settings are out of range: " + String.join("; ", problems));
        }
    }

    /** What is wrong with these settings, each with its environment variable; empty when nothing is. */
    public static List<String> problems(LikesConfig config) {
        Rules rules = new Rules();
        LikesConfig.Db db = config.db();
        rules.positive("LIKES_DB_CONNECT_TIMEOUT", db.connectTimeout());
        rules.positive("LIKES_DB_ACQUIRE_TIMEOUT", db.acquireTimeout());
        rules.positive("LIKES_DB_STATEMENT_TIMEOUT", db.statementTimeout());
        rules.positive("LIKES_DB_SILENCE_TIMEOUT", db.silenceTimeout());
        rules.atLeast("LIKES_DB_MAX_WAITING", db.maxWaiting(), 1);
        rules.between("LIKES_DB_READ_PORT", db.read().port(), 1, 65535);
        rules.atLeast("LIKES_DB_READ_POOL_SIZE", db.read().poolSize(), 1);
        rules.positive("LIKES_DB_READ_MAX_LAG", db.read().maxLag());
        rules.positive("LIKES_DB_READ_LAG_CHECK_INTERVAL", db.read().lagCheckInterval());
        rules.positive("LIKES_HTTP_HEADER_TIMEOUT", config.http().headerTimeout());
        LikesConfig.PublicReads read = config.read();
        rules.atLeast("LIKES_READ_SHARE_POOL_SIZE", read.sharePoolSize(), 1);
        rules.atLeast("LIKES_READ_SHARE_MAX_WAITING", read.shareMaxWaiting(), 0);
        rules.atLeast("LIKES_READ_CACHE_MAX_ITEMS", read.cacheMaxItems(), 0);
        rules.positive("LIKES_READ_CACHE_MAX_AGE", read.cacheMaxAge());
        rules.notNegative("LIKES_READ_RANKINGS_REFRESH", read.rankingsRefresh());
        rules.atLeast("LIKES_WRITE_STATEMENTS", config.write().statements(), 1);
        rules.between("LIKES_WRITE_MAX_BATCH", config.write().maxBatch(), 1, 10_000);
        rules.atLeast("LIKES_LIMIT_CHANGES_PER_ITEM", config.limit().changesPerItem(), 0);
        rules.atLeast("LIKES_LIMIT_CHANGES_PER_USER", config.limit().changesPerUser(), 0);
        rules.positive("LIKES_LIMIT_CLEANUP_INTERVAL", config.limit().cleanupInterval());
        rules.atLeast("LIKES_LIMIT_WRITES_PER_USER", config.limit().writesPerUser(), 0);
        rules.atLeast("LIKES_LIMIT_WRITE_BUDGET_USERS", config.limit().writeBudgetUsers(), 1);
        rules.atLeast("LIKES_RECOUNT_BATCH_SIZE", config.recount().batchSize(), 1);
        config.driftCheck().interval().ifPresent(every -> rules.positive("LIKES_DRIFT_CHECK_INTERVAL", every));
        rules.notNegative("LIKES_WINDOWS_AGING_INTERVAL", config.windows().agingInterval());
        rules.atLeast("LIKES_WINDOWS_AGING_BATCH", config.windows().agingBatch(), 1);
        rules.between("LIKES_IMPORT_BATCH_SIZE", config.imports().batchSize(), 1, 100_000);
        // Whole seconds (the frames count in them), from a minute to a year (an int of seconds).
        rules.between("LIKES_WINDOWS_HOT_HALF_LIFE (seconds)", config.windows().hotHalfLife().toSeconds(), 60, 366L * 24 * 3600);
        LikesConfig.Live live = config.live();
        rules.positive("LIKES_LIVE_FLUSH_INTERVAL", live.flushInterval());
        rules.positive("LIKES_LIVE_ANNOUNCE_INTERVAL", live.announceInterval());
        rules.positive("LIKES_LIVE_HEARTBEAT_INTERVAL", live.heartbeatInterval());
        rules.atLeast("LIKES_LIVE_MAX_STREAMS_PER_CLIENT", live.maxStreamsPerClient(), 1);
        rules.atLeast("LIKES_LIVE_MAX_STREAMS", live.maxStreams(), 1);
        rules.atLeast("LIKES_LIVE_MAX_FOLLOWED", live.maxFollowed(), 1);
        rules.notNegative("LIKES_AUTH_KEYS_RELOAD_INTERVAL", config.auth().keysReloadInterval());
        rules.atLeast("LIKES_AUTH_TOKEN_CACHE_MAX_TOKENS", config.auth().tokenCache().maxTokens(), 0);
        rules.positive("LIKES_LEADER_CHECK_INTERVAL", config.leader().checkInterval());
        rules.atLeast("LIKES_LIFECYCLE_BATCH_SIZE", config.lifecycle().batchSize(), 1);
        rules.notNegative("LIKES_LIFECYCLE_CHECK_INTERVAL", config.lifecycle().checkInterval());
        rules.positive("LIKES_LIFECYCLE_PASS_LENGTH", config.lifecycle().passLength());
        if (config.lifecycle().fenceTimeout().compareTo(db.statementTimeout()) <= 0) {
            rules.problems.add("LIKES_LIFECYCLE_FENCE_TIMEOUT must be longer than LIKES_DB_STATEMENT_TIMEOUT (it is "
                    + config.lifecycle().fenceTimeout() + ", the statement timeout " + db.statementTimeout() + ")");
        }
        LikesConfig.Events events = config.events();
        if (events.topic().isBlank()) {
            rules.problems.add("LIKES_EVENTS_TOPIC must not be blank");
        }
        rules.between("LIKES_EVENTS_RELAY_BATCH", events.relayBatch(), 1, 100_000);
        rules.positive("LIKES_EVENTS_RELAY_INTERVAL", events.relayInterval());
        rules.positive("LIKES_EVENTS_RELAY_RETRY", events.relayRetry());
        return rules.problems;
    }

    private static final class Rules {

        final List<String> problems = new ArrayList<>();

        /** At least a millisecond: the timers that take these count in milliseconds. */
        void positive(String name, Duration value) {
            if (value.toMillis() < 1) {
                problems.add(name + " must be 1ms or longer (it is " + value + ")");
            }
        }

        void notNegative(String name, Duration value) {
            if (value.isNegative()) {
                problems.add(name + " must not be negative (it is " + value + "; 0 turns it off)");
            }
        }

        void atLeast(String name, long value, long least) {
            if (value < least) {
                problems.add(name + " must be at least " + least + " (it is " + value + ")");
            }
        }

        void between(String name, long value, long least, long most) {
            if (value < least || value > most) {
                problems.add(name + " must be between " + least + " and " + most + " (it is " + value + ")");
            }
        }
    }
}
