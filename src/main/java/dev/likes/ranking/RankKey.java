package dev.likes.ranking;

/**
 * What a ranking sorts by, most first: a count (the all-time and windowed rankings) or, for the hot
 * ranking, log2 of the decayed score plus a constant common to all items ({@code likes_hot_rank} in
 * V7__hot_ranking.sql). A cursor carries the last item's key; the page statement seeks past its negation.
 */
public sealed interface RankKey {

    /** The key before the first item: greater than any item's. */
    static RankKey first(RankingWindow window) {
        return window == RankingWindow.HOT ? new Heat(Double.POSITIVE_INFINITY) : new Count(Long.MAX_VALUE);
    }

    /** The page statement's first parameter: the key negated, as its index orders it. */
    Object negated();

    /** The key as a cursor writes it. */
    String text();

    /** Whether an item could have this key (a cursor holding any other was not written by the service). */
    boolean possible();

    /** A like count. */
    record Count(long likes) implements RankKey {
        @Override
        public Object negated() {
            return -likes;
        }

        @Override
        public String text() {
            return Long.toString(likes);
        }

        @Override
        public boolean possible() {
            return likes >= 1;
        }
    }

    /** A hot key: log2 of the decayed score, plus the same constant for every item. */
    record Heat(double log2Score) implements RankKey {
        @Override
        public Object negated() {
            return -log2Score;
        }

        @Override
        public String text() {
            return Double.toString(log2Score);
        }

        @Override
        public boolean possible() {
            return Double.isFinite(log2Score);
        }
    }

    /** The key {@code text} spells for {@code window}; NumberFormatException when it spells none. */
    static RankKey parse(RankingWindow window, String text) {
        return window == RankingWindow.HOT ? new Heat(Double.parseDouble(text)) : new Count(Long.parseLong(text));
    }
}
