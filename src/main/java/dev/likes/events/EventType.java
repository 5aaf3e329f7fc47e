package dev.likes.events;

/**
 * What happened to one like: each event adds one like to its item's count or takes one away, so an
 * item's events, in event id order, walk its count one step at a time.
 */
public enum EventType {

    /** A user liked the item. */
    LIKED("liked", true),
    /** A user took their like back. */
    UNLIKED("unliked", false),
    /** The like went with its user's erasure. */
    ERASED("erased", false),
    /** The like went with its item's removal. */
    REMOVED("removed", false),
    /** The like was set aside, out of the count, by its user's suspension. */
    SUSPENDED("suspended", false),
    /** The like came back into the count with its user's reinstatement. */
    REINSTATED("reinstated", true);

    /** The event's {@code type} in JSON and in the outbox. */
    public final String label;
    /** Whether the event added a like (else it took one away). */
    public final boolean adds;

    EventType(String label, boolean adds) {
        this.label = label;
        this.adds = adds;
    }
}
