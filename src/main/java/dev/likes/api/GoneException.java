package dev.likes.api;

/** The thing asked for existed and was removed on purpose (a removed item): answered 410. */
public class GoneException extends RuntimeException {

    public GoneException(String detail) {
        super(detail, null, false, false);
    }
}
