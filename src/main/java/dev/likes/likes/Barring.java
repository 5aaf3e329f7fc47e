package dev.likes.likes;

import dev.likes.api.AccessDeniedException;
import dev.likes.api.GoneException;

/**
 * Why a click may change nothing whatever it asks (see V4__lifecycle.sql): its user is suspended, or
 * its item removed. The click statement and the Citus function answer it as their {@code barred}
 * column, by {@link #label}.
 */
enum Barring {
    USER_SUSPENDED("suspended"),
    ITEM_REMOVED("removed");

    /** The word the statements answer. */
    final String label;

    Barring(String label) {
        this.label = label;
    }

    /** The barring a statement answered by {@code label}. */
    static Barring of(String label) {
        for (Barring barring : values()) {
            if (barring.label.equals(label)) {
                return barring;
            }
        }
        throw new IllegalArgumentException("No barring is called " + label);
    }

    /** A suspended user's click is forbidden (403); a click on a removed item finds it gone (410). */
    RuntimeException refusal(Like.Key click) {
        return switch (this) {
            case USER_SUSPENDED -> new AccessDeniedException(
                    "User '" + click.userId() + "' is suspended: their likes do not count and cannot change");
            case ITEM_REMOVED -> new GoneException("Item '" + click.itemId() + "' was removed: it takes no likes");
        };
    }
}
