package dev.likes.likes;

/** Which way a click moves its like: puts it there, or takes it away. */
public enum Direction {
    LIKE, UNLIKE;

    /** Whether the click leaves the user liking the item. */
    public boolean likes() {
        return this == LIKE;
    }
}
