package dev.likes.likes;

/**
 * What a click statement did with one click: changed or repeated the like ({@code change}), refused
 * it for the toggle limits ({@code retryAfterSeconds} above 0), refused it because its user is
 * suspended or its item removed ({@code barred}: "suspended", "removed"), failed with its shard
 * group's call ({@code failure}), or none of these because the click raced another click of the same
 * user on the same item and must run again ({@link #RACED}).
 */
record ClickOutcome(LikeChange change, long retryAfterSeconds, String barred, Throwable failure) {

    static final ClickOutcome RACED = new ClickOutcome(null, 0, null, null);

    static ClickOutcome of(LikeChange change) {
        return new ClickOutcome(change, 0, null, null);
    }

    static ClickOutcome refused(long retryAfterSeconds) {
        return new ClickOutcome(null, retryAfterSeconds, null, null);
    }

    static ClickOutcome barred(String reason) {
        return new ClickOutcome(null, 0, reason, null);
    }

    /**
     * The click's own statement failed while others of its batch went through: on Citus, where a
     * batch is one call per shard group, each its own transaction on its own worker.
     */
    static ClickOutcome failed(Throwable failure) {
        return new ClickOutcome(null, 0, null, failure);
    }

    boolean refused() {
        return retryAfterSeconds > 0;
    }
}
