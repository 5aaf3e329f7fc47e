package dev.likes.ranking;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;

/** HTTP for rankings; the rules live in {@link RankingService}. */
@Path("/v1/rankings")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Rankings")
public class RankingResource {

    private final RankingService rankings;

    public RankingResource(RankingService rankings) {
        this.rankings = rankings;
    }

    @GET
    @Operation(summary = "Items by like count, all time, trending or hot",
            description = "Highest score first, ties by itemId in code-point order; only items with at least one like "
                    + "in the window. Pages are keyset-paged: follow 'next' until it is null. "
                    + "A window (hour, day, week) counts the likes created at or after its 'since' that still stand: "
                    + "'since' is a whole minute, 60 minutes, 24 hours or 7 days before the current minute, "
                    + "moved on by a background job within seconds of each minute's turn. "
                    + "Hot weighs each standing like by 2^(-age / half-life) (likes.windows.hot-half-life, 6 hours "
                    + "by default): it decays smoothly, and as all scores decay alike its order changes only when likes "
                    + "come or go; likes about 20 half-lives old weigh nothing.")
    @APIResponse(responseCode = "200", description = "A page of the ranking")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public Uni<RankingPage> rankings(
            @QueryParam("window") @Parameter(description = "The ranking: all (the default), hour, day, week or hot",
                    schema = @Schema(type = SchemaType.STRING, enumeration = {"all", "hour", "day", "week", "hot"},
                            defaultValue = "all")) String window,
            @QueryParam("limit") @Parameter(description = "Items per page, 1 to " + RankingService.MAX_LIMIT,
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "" + RankingService.MAX_LIMIT,
                            defaultValue = "10")) String limit,
            @QueryParam("after") @Parameter(description = "The 'next' value of the previous page") String after) {
        return rankings.page(window, limit, after);
    }
}
