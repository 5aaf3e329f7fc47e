package dev.likes.live;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.jboss.resteasy.reactive.ResponseHeader;

import dev.likes.api.IdRules;
import dev.likes.api.Problem;
import dev.likes.http.ClientAddresses;
import dev.likes.likes.LikeService;
import io.smallrye.mutiny.Multi;
import io.vertx.ext.web.RoutingContext;

/** HTTP for live counts: a Server-Sent Events stream per page. */
@Path("/v1/live")
@Tag(name = "Live")
public class LiveCountsResource {

    private final LiveCounts live;
    private final ClientAddresses clients;
    private final ObjectMapper json;

    public LiveCountsResource(LiveCounts live, ClientAddresses clients, ObjectMapper json) {
        this.live = live;
        this.clients = clients;
        this.json = json;
    }

    @GET
    @Path("/counts")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    @ResponseHeader(name = "X-Accel-Buffering", value = "no") // proxies such as nginx must not buffer the stream
    @Operation(summary = "Live counts of some items (Server-Sent Events)",
            description = "First the current count of every item asked, then each new count as it changes, through any "
                    + "replica: events named 'count' with data {\"itemId\",\"likes\"}, at most a few per item per second "
                    + "(the latest count wins), and a comment as heartbeat. Public, like counts. A client (its address, "
                    + "or the one a trusted proxy forwards) may hold a few streams; a replica follows a bounded number "
                    + "of items for all its streams together.")
    @APIResponse(responseCode = "200", description = "The stream: events 'count', each with one ItemCount as data",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(implementation = ItemCount.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "429", description = "This client already has the most streams allowed; retry after Retry-After seconds",
            headers = @Header(name = "Retry-After", description = "Seconds to wait", schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "This replica follows as many items as its budget allows, or the "
            + "database is unavailable; retry after Retry-After seconds (another replica may have room)",
            headers = @Header(name = "Retry-After", description = "Seconds to wait", schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Multi<OutboundSseEvent> counts(
            @QueryParam("ids") @Parameter(description = "1 to " + LikeService.MAX_BATCH
                    + " item ids, comma-separated (the parameter may also repeat)", required = true,
                    example = "post-1,post-2") List<String> ids,
            @Context Sse sse, @Context RoutingContext routing) {
        List<String> itemIds = IdRules.requireList("ids", ids, LikeService.MAX_BATCH);
        LiveStream stream = live.admit(itemIds, clients.of(routing.request()));
        // The answer's end (or its connection's) ends the stream, even one that never started.
        routing.addEndHandler(ended -> stream.end());
        return live.open(stream)
                .map(count -> count == ItemCount.HEARTBEAT
                        ? sse.newEventBuilder().comment("heartbeat").build()
                        : sse.newEventBuilder().name("count").data(String.class, toJson(count))
                                .mediaType(MediaType.TEXT_PLAIN_TYPE).build());
    }

    private String toJson(ItemCount count) {
        try {
            return json.writeValueAsString(count);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
