package dev.likes.likes;

/**
 * What a click statement did with one click: changed or repeated the like ({@code change}), refused
 * it for the toggle limits ({@code retryAfterSeconds} above 0), or neither because the click raced
 * another click of the same user on the same item and must run again ({@link #RACED}).
 */
record ClickOutcome(LikeChange change, long retryAfterSeconds) {

    static final ClickOutcome RACED = new ClickOutcome(null, 0);

    static ClickOutcome of(LikeChange change) {
        return new ClickOutcome(change, 0);
    }

    static ClickOutcome refused(long retryAfterSeconds) {
        return new ClickOutcome(null, retryAfterSeconds);
    }

    boolean refused() {
        return retryAfterSeconds > 0;
    }
}
