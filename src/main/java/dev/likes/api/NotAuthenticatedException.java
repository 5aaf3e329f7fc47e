package dev.likes.api;

/** No bearer token, or one that failed verification: answered 401 with WWW-Authenticate. */
public class NotAuthenticatedException extends RuntimeException {

    private final boolean badToken;

    public NotAuthenticatedException(boolean badToken) {
        super(badToken
                ? "The bearer token is invalid: bad signature, expired or not yet valid, or from another issuer or audience"
                : "This call needs a bearer token (Authorization: Bearer <JWT>)", null, false, false);
        this.badToken = badToken;
    }

    /** The RFC 6750 challenge. */
    public String challenge() {
        return badToken ? "Bearer realm=\"likes\", error=\"invalid_token\"" : "Bearer realm=\"likes\"";
    }
}
