package dev.likes.lifecycle;

/** What a lifecycle job does, and to whom: a user ({@code subject} is a user id) or an item. */
public enum JobKind {
    /** Every like of a user goes, and each count it touched falls by exactly that much. */
    ERASE_USER("erase-user"),
    /** Every like of an item goes, then its buckets and counter; clicks on it are refused meanwhile and after. */
    REMOVE_ITEM("remove-item"),
    /** A user's likes leave every count and wait, kept, until the user is reinstated. */
    SUSPEND_USER("suspend-user"),
    /** A suspended user's kept likes count again, as they were. */
    REINSTATE_USER("reinstate-user");

    /** The kind as the API and the database spell it. */
    public final String label;

    JobKind(String label) {
        this.label = label;
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
