package dev.likes.ha;

/** Work only the leader may do, asked of a replica that does not lead (now). */
public class NotLeaderException extends RuntimeException {

    public NotLeaderException() {
        super("This replica does not lead (now): the leader's work is not for it", null, false, false);
    }
}
