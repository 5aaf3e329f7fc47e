package dev.likes.api;

/**
 * A client's mistake: answered 400 with this message as the problem's detail. The reason
 * (e.g. {@code invalid_id}) names the kind of mistake for metrics.
 */
public class InvalidRequestException extends RuntimeException {

    private final String reason;

    public InvalidRequestException(String reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
