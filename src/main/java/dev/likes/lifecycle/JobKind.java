package dev.likes.lifecycle;

import dev.likes.events.EventType;

/** What a lifecycle job does, and to whom: a user ({@code subject} is a user id) or an item. */
public enum JobKind {
    /** Every like of a user goes, and each count it touched falls by exactly that much. */
    ERASE_USER("erase-user", EventType.ERASED),
    /** Every like of an item goes, then its buckets and counter; clicks on it are refused meanwhile and after. */
    REMOVE_ITEM("remove-item", EventType.REMOVED),
    /** A user's likes leave every count and wait, kept, until the user is reinstated. */
    SUSPEND_USER("suspend-user", EventType.SUSPENDED),
    /** A suspended user's kept likes count again, as they were. */
    REINSTATE_USER("reinstate-user", EventType.REINSTATED);

    /** The kind as the API and the database spell it. */
    public final String label;
    /** The event each like the job moves gets (see dev.likes.events). */
    final EventType event;

    JobKind(String label, EventType event) {
        this.label = label;
        this.event = event;
    }

    static JobKind of(String label) {
        for (JobKind kind : values()) {
            if (kind.label.equals(label)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("No lifecycle job kind " + label);
    }
}
