package dev.likes.ops;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.likes.api.LikesApi;
import dev.likes.api.Problem;
import io.smallrye.mutiny.Uni;

/** HTTP for operators: recount counters from the like rows. The rules live in {@link RecountService}. */
@Path("/v1/admin/recount")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Operations")
public class RecountResource {

    private final RecountService recounts;

    public RecountResource(RecountService recounts) {
        this.recounts = recounts;
    }

    @POST
    @SecurityRequirement(name = LikesApi.BEARER)
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @Operation(summary = "Recount counters from the like rows",
            description = "Walks every item in id order, a batch at a time, and sets each counter that differs from "
                    + "its number of like rows. Clicks go on meanwhile and none is lost: a batch holds its counters "
                    + "only while it fixes them. With dryRun=true it only reports. One recount (or scheduled drift "
                    + "check) runs at a time across all replicas.")
    @APIResponse(responseCode = "200", description = "What was checked and fixed")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "409", description = "Another recount or drift check is under way; nothing was changed; "
            + "retry after Retry-After seconds",
            headers = @Header(name = "Retry-After", description = "Seconds to wait", schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public Uni<Recount> recount(
            @QueryParam("dryRun") @Parameter(description = "Report only; change nothing",
                    schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false")) String dryRun,
            @QueryParam("after") @Parameter(description = "Start after this item id (the 'next' of an earlier call)")
            String after,
            @QueryParam("limit") @Parameter(description = "Check at most this many items",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "" + RecountService.MAX_LIMIT)) String limit) {
        return recounts.recount(after, limit, dryRun);
    }
}
