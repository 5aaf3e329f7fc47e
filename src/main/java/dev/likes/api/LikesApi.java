package dev.likes.api;

import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The API's description: what every operation shares (id parameters, error answers). */
@OpenAPIDefinition(
        info = @Info(title = "Likes API", version = "1.0.0",
                description = "Like and unlike items; read exact counts and rankings. Every error is "
                        + "application/problem+json (RFC 9457). An empty query parameter counts as not given."),
        components = @Components(
                parameters = {
                        @Parameter(name = "itemId", in = ParameterIn.PATH, required = true,
                                description = "Item id: " + IdRules.RULE, example = "post-42",
                                schema = @Schema(type = SchemaType.STRING, pattern = IdRules.PATTERN, minLength = 1, maxLength = IdRules.MAX_LENGTH)),
                        @Parameter(name = "userId", in = ParameterIn.PATH, required = true,
                                description = "User id: " + IdRules.RULE, example = "user-7",
                                schema = @Schema(type = SchemaType.STRING, pattern = IdRules.PATTERN, minLength = 1, maxLength = IdRules.MAX_LENGTH))
                },
                responses = {
                        @APIResponse(name = "BadRequest", responseCode = "400",
                                description = "A bad id, limit, cursor or id list; nothing was changed",
                                content = @Content(mediaType = Problem.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class),
                                        examples = @ExampleObject(name = "bad id", value = """
                                                {"type":"about:blank","title":"Bad Request","status":400,\
                                                "detail":"userId must be 1 to 64 characters from A-Z a-z 0-9 . _ ~ : - (but not . or ..); got 'a b' (3 characters)",\
                                                "instance":"/v1/items/post-42/likes/a b"}"""))),
                        @APIResponse(name = "Unauthorized", responseCode = "401",
                                description = "No bearer token, or one that is expired, not yet valid, from another issuer "
                                        + "or audience, or badly signed; nothing was changed",
                                headers = @Header(name = "WWW-Authenticate", description = "Bearer realm=\"likes\"",
                                        schema = @Schema(type = SchemaType.STRING)),
                                content = @Content(mediaType = Problem.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = "Forbidden", responseCode = "403",
                                description = "The token may not act for this user (or is not a backend's or an operator's, as the call "
                                        + "needs), or the user is suspended; nothing was changed",
                                content = @Content(mediaType = Problem.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = "JobAccepted", responseCode = "202",
                                description = "Taken into effect; a lifecycle job finishes the work in batches: poll it at "
                                        + "Location until its state is 'done'",
                                headers = @Header(name = "Location", description = "The job, to poll",
                                        schema = @Schema(type = SchemaType.STRING)),
                                content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                        schema = @Schema(ref = "LifecycleJob"))),
                        @APIResponse(name = "ItemRemoved", responseCode = "410",
                                description = "The item was removed: it takes no likes; nothing was changed",
                                content = @Content(mediaType = Problem.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = "TooManyChanges", responseCode = "429",
                                description = "The user changed likes too often (per item, or in all, per minute), or sent "
                                        + "more likes and unlikes than its write budget (repeats included); nothing was "
                                        + "changed; retry after Retry-After seconds",
                                headers = @Header(name = "Retry-After", description = "Seconds to wait",
                                        schema = @Schema(type = SchemaType.INTEGER)),
                                content = @Content(mediaType = Problem.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = "Unavailable", responseCode = "503",
                                description = "The database is unavailable; retry after Retry-After seconds",
                                headers = @Header(name = "Retry-After", description = "Seconds to wait",
                                        schema = @Schema(type = SchemaType.INTEGER)),
                                content = @Content(mediaType = Problem.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class)))
                }))
@SecurityScheme(securitySchemeName = LikesApi.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
        bearerFormat = "JWT", description = "A JWT whose sub is the userId acted for, or in the group "
                + "likes:act-for-users (any user; removing items; who liked) or likes:admin (operator calls). Counts and rankings need none.")
public class LikesApi extends Application {

    /** The security scheme that calls acting for a user or an operator require. */
    public static final String BEARER = "bearer";
}
