package dev.likes.api;

/** A valid token that does not allow the call: answered 403. */
public class AccessDeniedException extends RuntimeException {

    public AccessDeniedException(String detail) {
        super(detail, null, false, false);
    }
}
