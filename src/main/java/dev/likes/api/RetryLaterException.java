package dev.likes.api;

/** The service cannot answer right now, but the same request will work shortly: answered 503 with Retry-After. */
public class RetryLaterException extends RuntimeException {

    public RetryLaterException(String detail) {
        super(detail, null, false, false);
    }
}
