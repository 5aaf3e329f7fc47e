package dev.likes.likes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import dev.likes.api.TooManyRequestsException;
import dev.likes.config.LikesConfig;

/** The toggle limits' own rules, without Quarkus or a database (the counting is SQL: ChangeLimitsTest). */
class ChangeLimitRulesTest {

    static LikesConfig.Limit limit(int perItem, int perUser) {
        return new LikesConfig.Limit() {
            @Override
            public int changesPerItem() {
                return perItem;
            }

            @Override
            public int changesPerUser() {
                return perUser;
            }

            @Override
            public Duration cleanupInterval() {
                return Duration.ofSeconds(30);
            }

            @Override
            public int writesPerUser() {
                return 20;
            }

            @Override
            public long writeBudgetUsers() {
                return 1000;
            }
        };
    }

    @Test
    void zeroTurnsALimitOffAndBothOffTurnTheLimitsOff() {
        assertTrue(new ChangeLimits(limit(10, 0)).enabled());
        assertTrue(new ChangeLimits(limit(0, 120)).enabled());
        assertFalse(new ChangeLimits(limit(0, 0)).enabled());
        assertEquals(0, new ChangeLimits(limit(-3, 5)).perItem(), "a negative limit is no limit");
    }

    @Test
    void theRefusalSaysWhichLimitsHoldAndWhenToRetry() {
        TooManyRequestsException both = new ChangeLimits(limit(10, 120)).refusal("ann", 17);
        assertEquals("Too many like changes by 'ann' (at most 10 per item and 120 in all per minute); retry after 17 s",
                both.getMessage());
        assertEquals(17, both.retryAfterSeconds());
        assertEquals("3 per item per minute", new ChangeLimits(limit(3, 0)).describe());
        assertEquals("5 in all per minute", new ChangeLimits(limit(0, 5)).describe());
    }

    @Test
    void usersIdleForTheWholeWindowAreForgotten() {
        Clock fixed = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);
        assertEquals(Instant.parse("2026-11-28T11:59:00Z"), ChangeLimits.idleSince(fixed));
    }
}
