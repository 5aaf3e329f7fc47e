package dev.likes.api;

import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An RFC 9457 problem detail, the body of every error answer. */
@Schema(name = "Problem", description = "RFC 9457 problem detail")
public record Problem(
        @Schema(required = true, examples = "about:blank") String type,
        @Schema(required = true, examples = "Bad Request") String title,
        @Schema(required = true, examples = "400") int status,
        @Schema(required = true, examples = "limit must be a whole number from 1 to 100; got '0'") String detail,
        @Schema(required = true, examples = "/v1/rankings") String instance) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(Response.StatusType status, String detail, String instance) {
        return new Problem("about:blank", status.getReasonPhrase(), status.getStatusCode(), detail, instance);
    }

    public static Response.ResponseBuilder response(Response.StatusType status, String detail, String instance) {
        return Response.status(status).type(MEDIA_TYPE).entity(of(status, detail, instance));
    }
}
