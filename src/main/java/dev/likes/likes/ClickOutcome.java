package dev.likes.likes;

/**
 * What a click statement did with one click: exactly one of these.
 */
sealed interface ClickOutcome {

    /** The click changed the like or repeated it; the answer says which, and the count. */
    record Answered(LikeChange change) implements ClickOutcome {
    }

    /** The toggle limits refused the click for this many seconds (above 0). */
    record Limited(long retryAfterSeconds) implements ClickOutcome {
    }

    /** The click may change nothing: its user is suspended or its item removed. */
    record Barred(Barring why) implements ClickOutcome {
    }

    /**
     * The click's own statement failed while others of its batch went through: on Citus, where a
     * batch is one call per shard group, each its own transaction on its own worker.
     */
    record Failed(Throwable failure) implements ClickOutcome {
    }

    /**
     * The click raced another click of the same user on the same item, which committed after the
     * statement's snapshot: it had nothing left to do, but its snapshot predates that click, so it
     * must run again on a fresh one rather than mix two moments.
     */
    record Raced() implements ClickOutcome {
    }

    ClickOutcome RACED = new Raced();
}
