package dev.likes.ha;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The standby's lag, from samples of the primary's WAL position: a pure rule, no database. */
class ReplicaLagTest {

    final ReplicaLag lag = new ReplicaLag(20_000);

    @Test
    void noSampleYetMeansNoKnownLag() {
        assertEquals(0, lag.lagMillis(0));
    }

    @Test
    void aStandbyThatReplayedTheNewestSampleHasNoLag() {
        lag.primaryAt(100, 1_000);
        lag.primaryAt(250, 2_000);
        assertEquals(0, lag.lagMillis(250));
        assertEquals(0, lag.lagMillis(300), "replayed past the sample (the primary wrote more since)");
    }

    @Test
    void theLagIsTheTimeFromTheNewestSampleReachedToTheNewestTaken() {
        lag.primaryAt(100, 1_000);
        lag.primaryAt(200, 2_000);
        lag.primaryAt(300, 3_000);
        lag.primaryAt(400, 4_000);
        assertEquals(2_000, lag.lagMillis(250), "it has the sample of 2 s, not the one of 3 s");
        assertEquals(3_000, lag.lagMillis(100));
    }

    @Test
    void anIdlePrimaryLeavesACaughtUpStandbyWithNoLagHoweverLongItIsIdle() {
        for (long t = 0; t <= 60_000; t += 1_000) {
            lag.primaryAt(500, t);
        }
        assertEquals(0, lag.lagMillis(500));
    }

    @Test
    void aPrimaryThatStopsAnsweringLeavesTheStandbyAsFreshAsItsLastSample() {
        lag.primaryAt(100, 1_000);
        lag.primaryAt(200, 2_000);
        // No sample since: the standby that replayed everything sampled is not behind anything known.
        assertEquals(0, lag.lagMillis(200));
    }

    @Test
    void aStandbyBehindEverySampleKeptIsFurtherBackThanTheSpanKept() {
        for (long t = 0; t <= 60_000; t += 1_000) {
            lag.primaryAt(1_000 + t, t);
        }
        // Samples older than 20 s are gone; the standby replayed only what the primary had at the start.
        assertEquals(40_000, lag.lagMillis(1_000));
    }
}
