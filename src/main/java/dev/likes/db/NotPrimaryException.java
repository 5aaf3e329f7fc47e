package dev.likes.db;

/** A write reached a server in recovery: not the primary, or not yet. The database is failing over. */
public class NotPrimaryException extends RuntimeException {

    public NotPrimaryException(Throwable cause) {
        super("The server is in recovery, not the primary: " + cause.getMessage(), cause, false, false);
    }
}
