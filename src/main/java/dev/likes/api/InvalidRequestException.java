package dev.likes.api;

/** A client's mistake: answered 400 with this message as the problem's detail. */
public class InvalidRequestException extends RuntimeException {

    public InvalidRequestException(String detail) {
        super(detail, null, false, false);
    }
}
