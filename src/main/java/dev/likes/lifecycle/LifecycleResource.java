package dev.likes.lifecycle;

import java.net.URI;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response.Status;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import dev.likes.api.LikesApi;
import dev.likes.api.Problem;
import io.smallrye.mutiny.Uni;

/**
 * HTTP for operators' lifecycle calls (suspensions, lifting a removal) and for lifecycle jobs; erasing
 * a user's likes and removing an item live with their resources (DELETE /v1/users/{userId}/likes,
 * DELETE /v1/items/{itemId}). The rules live in {@link LifecycleService}.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Lifecycle")
@SecurityRequirement(name = LikesApi.BEARER)
@APIResponse(responseCode = "400", ref = "BadRequest")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@APIResponse(responseCode = "503", ref = "Unavailable")
public class LifecycleResource {

    private final LifecycleService lifecycle;

    public LifecycleResource(LifecycleService lifecycle) {
        this.lifecycle = lifecycle;
    }

    /** 202 with the job, and where to poll it. */
    public static RestResponse<LifecycleJob> accepted(LifecycleJob job) {
        return RestResponse.ResponseBuilder.create(Status.ACCEPTED, job)
                .location(URI.create("/v1/lifecycle/jobs/" + job.id())).build();
    }

    @PUT
    @Path("/admin/users/{userId}/suspension")
    @Operation(summary = "Suspend a user (operators)",
            description = "At once, the user's likes and unlikes are refused (403). The user's likes then leave every count, "
                    + "window, ranking and live count, exactly, in batches; they are kept, to count again if the user is reinstated. "
                    + "Asking again while the job runs answers the same job.")
    @APIResponse(responseCode = "202", ref = "JobAccepted")
    public Uni<RestResponse<LifecycleJob>> suspend(@PathParam("userId") @Parameter(ref = "userId") String userId) {
        return lifecycle.suspend(userId).map(LifecycleResource::accepted);
    }

    @DELETE
    @Path("/admin/users/{userId}/suspension")
    @Operation(summary = "Reinstate a suspended user (operators)",
            description = "At once, the user may like again; the likes kept while suspended count again, exactly as they were "
                    + "(with their own time, so in the windows that still count it), in batches.")
    @APIResponse(responseCode = "202", ref = "JobAccepted")
    public Uni<RestResponse<LifecycleJob>> reinstate(@PathParam("userId") @Parameter(ref = "userId") String userId) {
        return lifecycle.reinstate(userId).map(LifecycleResource::accepted);
    }

    @GET
    @Path("/admin/users/{userId}/suspension")
    @Operation(summary = "Whether a user is suspended, and since when (operators)")
    @APIResponse(responseCode = "200", description = "The user is suspended")
    @APIResponse(responseCode = "404", description = "The user is not suspended",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<LifecycleService.Suspension> suspension(@PathParam("userId") @Parameter(ref = "userId") String userId) {
        return lifecycle.suspension(userId);
    }

    @DELETE
    @Path("/admin/items/{itemId}/removal")
    @Operation(summary = "Let a removed item id take likes again (operators)",
            description = "Lifts the tombstone of a removed item: the id starts afresh at 0 likes. The removed likes do not "
                    + "come back (they were erased).")
    @APIResponse(responseCode = "204", description = "The item takes likes again")
    @APIResponse(responseCode = "404", description = "The item is not removed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The item's removal is still under way; retry after Retry-After seconds",
            headers = @Header(name = "Retry-After", description = "Seconds to wait", schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Void> restore(@PathParam("itemId") @Parameter(ref = "itemId") String itemId) {
        return lifecycle.restore(itemId);
    }

    @GET
    @Path("/lifecycle/jobs/{jobId}")
    @Operation(summary = "A lifecycle job's progress",
            description = "For backends and operators, and for the user an erasure is about.")
    @APIResponse(responseCode = "200", description = "The job")
    @APIResponse(responseCode = "404", description = "No such job",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<LifecycleJob> job(@PathParam("jobId") @Parameter(description = "The job's id, from the answer that started it") String jobId) {
        return lifecycle.job(jobId);
    }
}
