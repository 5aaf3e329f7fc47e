package dev.likes.imports;

import java.util.List;

/**
 * Where an import reads likes from, in an order that is the same on every run (so that a run can
 * go on from a position: the number of rows an earlier run consumed). Read by one thread, blocking.
 */
interface LikeSource extends AutoCloseable {

    /** Up to {@code max} rows after those read so far; empty at the end. */
    List<SourceRow> next(int max);

    /** How much of the source has been read so far, from 0 to 1 (for the progress line). */
    double readFraction();

    @Override
    void close();
}
