package dev.likes.api;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/** Turns every failure into an application/problem+json answer; no failure leaves as HTML or text. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    /** Seconds a client should wait before retrying while the database is away. */
    static final long RETRY_AFTER_SECONDS = 1;

    private final Rejections rejections;
    private final AllowedMethods allowed;

    public ProblemMappers(Rejections rejections, AllowedMethods allowed) {
        this.rejections = rejections;
        this.allowed = allowed;
    }

    @ServerExceptionMapper
    public Response invalidRequest(InvalidRequestException e, UriInfo uri) {
        rejections.count(e.reason());
        return Problem.response(Status.BAD_REQUEST, e.getMessage(), uri.getPath()).build();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri) {
        rejections.count("not_found");
        return Problem.response(Status.NOT_FOUND,
                "There is nothing at " + uri.getPath() + "; the API is described at /q/openapi", uri.getPath()).build();
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, UriInfo uri) {
        rejections.count("method_not_allowed");
        Response.ResponseBuilder problem = Problem.response(Status.METHOD_NOT_ALLOWED,
                "This method is not allowed on " + uri.getPath() + "; the API is described at /q/openapi",
                uri.getPath());
        // RFC 9110: a 405 says which methods the resource has.
        String allow = allowed.of(uri.getPath());
        return (allow == null ? problem : problem.header(HttpHeaders.ALLOW, allow)).build();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        if (status.getStatusCode() >= 500) {
            return unexpected(e, uri);
        }
        rejections.count("http_" + status.getStatusCode());
        return Problem.response(status, e.getMessage(), uri.getPath()).build();
    }

    @ServerExceptionMapper
    public Response notAuthenticated(NotAuthenticatedException e, UriInfo uri) {
        rejections.count("unauthenticated");
        return Problem.response(Status.UNAUTHORIZED, e.getMessage(), uri.getPath())
                .header(HttpHeaders.WWW_AUTHENTICATE, e.challenge()).build();
    }

    /** Quarkus' own refusals, should a security check of its own ever run. */
    @ServerExceptionMapper({AuthenticationFailedException.class, AuthenticationCompletionException.class,
            UnauthorizedException.class})
    public Response quarkusNotAuthenticated(RuntimeException e, UriInfo uri) {
        return notAuthenticated(new NotAuthenticatedException(!(e instanceof UnauthorizedException)), uri);
    }

    @ServerExceptionMapper({AccessDeniedException.class, ForbiddenException.class})
    public Response accessDenied(RuntimeException e, UriInfo uri) {
        rejections.count("forbidden");
        String detail = e instanceof AccessDeniedException ? e.getMessage() : "This token does not allow this call";
        return Problem.response(Status.FORBIDDEN, detail, uri.getPath()).build();
    }

    @ServerExceptionMapper
    public Response gone(GoneException e, UriInfo uri) {
        rejections.count("gone");
        return Problem.response(Status.GONE, e.getMessage(), uri.getPath()).build();
    }

    @ServerExceptionMapper
    public Response tooManyRequests(TooManyRequestsException e, UriInfo uri) {
        rejections.count("rate_limited");
        return Problem.response(Status.TOO_MANY_REQUESTS, e.getMessage(), uri.getPath())
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(e.retryAfterSeconds())).build();
    }

    @ServerExceptionMapper
    public Response conflict(ConflictException e, UriInfo uri) {
        rejections.count("conflict");
        return Problem.response(Status.CONFLICT, e.getMessage(), uri.getPath())
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(e.retryAfterSeconds())).build();
    }

    @ServerExceptionMapper
    public Response retryLater(RetryLaterException e, UriInfo uri) {
        rejections.count("contention");
        return unavailable(e.getMessage(), e.retryAfterSeconds(), uri);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        if (DatabaseOutage.isOutage(e)) {
            LOG.warnf("Database unavailable for %s: %s", uri.getPath(), e.toString());
            rejections.count("database_unavailable");
            return unavailable("The database is unavailable; retry shortly (likes and unlikes are safe to retry)",
                    RETRY_AFTER_SECONDS, uri);
        }
        LOG.errorf(e, "Unexpected failure for %s", uri.getPath());
        rejections.count("internal_error");
        return Problem.response(Status.INTERNAL_SERVER_ERROR,
                "The service failed unexpectedly; the failure is logged", uri.getPath()).build();
    }

    private static Response unavailable(String detail, long retryAfterSeconds, UriInfo uri) {
        return Problem.response(Status.SERVICE_UNAVAILABLE, detail, uri.getPath())
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds))
                .build();
    }
}
