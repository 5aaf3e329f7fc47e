package dev.likes.ha;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * How far, in time, a standby is behind the primary, from samples of the primary's WAL position. At
 * each check the primary's position is sampled first, then the standby's replay position: every
 * change the primary had written by a sample's time is on the standby once its replay position
 * reaches that sample's. So the lag is the time from the newest sample the standby has reached to
 * the newest sample taken, to within one check interval. It measures how stale the standby is, not
 * how long ago anything was written: an idle primary whose changes are all replayed shows no lag,
 * and so does a primary that stopped answering (there is nothing newer to wait for; the standby is
 * then the freshest server there is). A standby further back than every sample kept shows the
 * whole span kept, which is longer than any bound worth setting.
 */
final class ReplicaLag {

    private record Sample(long lsn, long atMillis) {
    }

    private final long keepMillis;
    /** Oldest first; guarded by this. */
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    /** Keeps the samples of the last {@code keepMillis}. */
    ReplicaLag(long keepMillis) {
        this.keepMillis = keepMillis;
    }

    /** The primary's WAL position at {@code atMillis}. */
    synchronized void primaryAt(long lsn, long atMillis) {
        samples.addLast(new Sample(lsn, atMillis));
        while (samples.size() > 1 && samples.peekFirst().atMillis() < atMillis - keepMillis) {
            samples.pollFirst();
        }
    }

    /** The lag, in milliseconds, of a standby that has replayed up to {@code replayLsn}. */
    synchronized long lagMillis(long replayLsn) {
        if (samples.isEmpty()) {
            return 0;
        }
        long newest = samples.peekLast().atMillis();
        Iterator<Sample> newestFirst = samples.descendingIterator();
        while (newestFirst.hasNext()) {
            Sample sample = newestFirst.next();
            if (sample.lsn() <= replayLsn) {
                return newest - sample.atMillis();
            }
        }
        return newest - samples.peekFirst().atMillis() + keepMillis;
    }
}
