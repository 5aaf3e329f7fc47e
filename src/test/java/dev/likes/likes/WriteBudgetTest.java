package dev.likes.likes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The per-user write budget with a clock the test moves, without Quarkus or a database. */
class WriteBudgetTest {

    final AtomicLong now = new AtomicLong(1_000_000_000L);

    void advanceMillis(long millis) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Test
    void aBurstOfTwiceTheRateGoesThroughThenTheUserWaits() {
        WriteBudget budget = new WriteBudget(5, 1000, now::get);
        for (int i = 0; i < 10; i++) {
            assertEquals(0, budget.take("ann"), "write " + i + " of the burst");
        }
        assertEquals(1, budget.take("ann"), "the 11th waits (a whole second at most, rounded up)");
        assertEquals(0, budget.take("bob"), "another user has a budget of its own");
    }

    @Test
    void theBudgetRefillsAtTheRate() {
        WriteBudget budget = new WriteBudget(5, 1000, now::get);
        for (int i = 0; i < 10; i++) {
            budget.take("ann");
        }
        advanceMillis(199);
        assertTrue(budget.take("ann") > 0, "not yet: one write every 200 ms");
        advanceMillis(1);
        assertEquals(0, budget.take("ann"));
        advanceMillis(60_000);
        for (int i = 0; i < 10; i++) {
            assertEquals(0, budget.take("ann"), "full again after a pause, but no fuller than the burst");
        }
        assertTrue(budget.take("ann") > 0);
    }

    @Test
    void aFloodOfUsersIsForgottenSoMemoryStaysBounded() {
        WriteBudget budget = new WriteBudget(5, 100, now::get);
        for (int i = 0; i < 10_000; i++) {
            budget.take("user-" + i);
        }
        assertTrue(budget.users() <= 100, budget.users() + " users tracked");
    }

    @Test
    void zeroTurnsTheBudgetOff() {
        WriteBudget budget = new WriteBudget(0, 1000, now::get);
        assertFalse(budget.enabled());
        for (int i = 0; i < 1000; i++) {
            assertEquals(0, budget.take("ann"));
        }
    }

    @Test
    void theRefusalSaysTheBudget() {
        assertEquals("5 a second, 10 at once", new WriteBudget(5, 1000, now::get).describe());
    }
}
