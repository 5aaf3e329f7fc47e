package dev.likes.api;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response.Status;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses, as problem+json like every other error, what the HTTP layer would otherwise refuse with an
 * empty answer or the application would misread, before JAX-RS sees the request: too long a request
 * line (414) or headers (431), a body declared over the limit (413; a chunked body over it gets the
 * HTTP layer's bare 413), and a raw
 * {@code ;} in the path (400: RESTEasy strips {@code ;matrix} parameters from path segments, so
 * {@code PUT /v1/items/a;x/likes/u} would otherwise like item "a"). The HTTP layer's own limits are
 * set higher (application.properties), so that requests up to there reach this check; a
 * request beyond even those gets the HTTP layer's bare status, as does a broken %-escape anywhere in
 * the URI, which Vert.x refuses (400) before any route runs (Quarkus offers no hook for it).
 */
@ApplicationScoped
public class RawRequestGuard {

    /** The longest request URI answered (then 414): a batch read of 100 ids of 64 characters fits. */
    static final int MAX_URI_LENGTH = 8_192;
    /**
     * The most header bytes (names and values as parsed, without the spaces around values) answered
     * (then 431): room for a large bearer token.
     */
    static final int MAX_HEADER_BYTES = 16_384;


    private final ObjectMapper json;
    private final Rejections rejections;
    private final long maxBodyBytes;

    public RawRequestGuard(ObjectMapper json, Rejections rejections,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody) {
        this.json = json;
        this.rejections = rejections;
        this.maxBodyBytes = maxBody.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(RequestIds.ROUTE_ORDER + 1).handler(this::check);
    }

    private void check(RoutingContext context) {
        HttpServerRequest request = context.request();
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (request.uri().length() > MAX_URI_LENGTH) {
            refuse(context, 414, "uri_too_long", "The request line is too long: at most " + MAX_URI_LENGTH + " characters");
        } else if (headerBytes(request) > MAX_HEADER_BYTES) {
            refuse(context, 431, "headers_too_large", "The headers are too large: at most " + MAX_HEADER_BYTES + " bytes");
        } else if (length != null && tooLong(length)) {
            refuse(context, 413, "body_too_large", "The body is too large: at most " + maxBodyBytes + " bytes; likes and unlikes carry none");
        } else if (request.path().indexOf(';') >= 0) {
            refuse(context, 400, "invalid_path", "';' is not allowed in a path; ids are " + IdRules.RULE);
        } else {
            context.next();
        }
    }

    private boolean tooLong(String contentLength) {
        try {
            return Long.parseLong(contentLength.strip()) > maxBodyBytes;
        } catch (NumberFormatException e) {
            return false; // the HTTP layer refuses a malformed length itself
        }
    }

    private static long headerBytes(HttpServerRequest request) {
        long bytes = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            bytes += header.getKey().length() + header.getValue().length() + 4;
        }
        return bytes;
    }

    private void refuse(RoutingContext context, int status, String reason, String detail) {
        rejections.count(reason);
        String path = context.request().path();
        Problem problem = Problem.of(Status.fromStatusCode(status), detail, path == null ? "" : path);
        try {
            var response = context.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
            if (status == 413) {
                // The body is not read: the connection ends with the answer (Vert.x keeps it open otherwise).
                response.putHeader("Connection", "close");
                response.end(json.writeValueAsString(problem)).onComplete(sent -> context.request().connection().close());
            } else {
                response.end(json.writeValueAsString(problem));
            }
        } catch (JsonProcessingException e) {
            context.fail(e);
        }
    }
}
