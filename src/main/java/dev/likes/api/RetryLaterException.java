package dev.likes.api;

/** The service cannot answer right now, but the same request will work shortly: answered 503 with Retry-After. */
public class RetryLaterException extends RuntimeException {

    private final long retryAfterSeconds;

    public RetryLaterException(String detail) {
        this(detail, 1);
    }

    public RetryLaterException(String detail, long retryAfterSeconds) {
        super(detail, null, false, false);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
