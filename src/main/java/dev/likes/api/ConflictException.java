package dev.likes.api;

/** The request conflicts with work already under way (on any replica): answered 409 with Retry-After. */
public class ConflictException extends RuntimeException {

    private final long retryAfterSeconds;

    public ConflictException(String detail, long retryAfterSeconds) {
        super(detail, null, false, false);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
