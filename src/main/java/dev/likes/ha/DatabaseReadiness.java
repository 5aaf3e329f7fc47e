package dev.likes.ha;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import dev.likes.db.DatabaseOptions;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Readiness: this replica can serve when the primary answers, or, while the primary is away (a
 * failover), when the standby that serves public reads answers: then reads go on and writes answer
 * 503 with Retry-After, from the service itself. Only a replica that reaches no database at all is
 * taken out of its load balancer. (Readiness on the primary alone would take every replica out at once
 * during a failover, and callers would get the proxy's own error instead.) The answer also tells
 * which replica leads the background jobs.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements AsyncHealthCheck {

    /** Below the probes' own timeouts (a second here and there): both servers are asked at once. */
    static final Duration PATIENCE = Duration.ofMillis(800);

    /** A connection of its own: readiness never waits behind clicks or a flood of reads. */
    private final Pool primary;
    private final ReadRoute reads;
    private final Leadership leadership;

    public DatabaseReadiness(DatabaseOptions databases, Vertx vertx, ReadRoute reads, Leadership leadership) {
        this.primary = databases.pool(vertx, databases.primary().addProperty("application_name", "likes-readiness"), 1);
        this.reads = reads;
        this.leadership = leadership;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        Uni<Boolean> standbyUp = reads.hasStandby() ? reads.standbyAnswers() : Uni.createFrom().nullItem();
        return Uni.combine().all().unis(answers(primary), standbyUp).with(this::response);
    }

    private HealthCheckResponse response(boolean primaryUp, Boolean standbyUp) {
        var builder = HealthCheckResponse.named("database")
                .status(primaryUp || Boolean.TRUE.equals(standbyUp))
                .withData("primary", primaryUp ? "up" : "down")
                .withData("leader", leadership.isLeader());
        if (reads.hasStandby()) {
            builder.withData("standby", Boolean.TRUE.equals(standbyUp) ? "up" : "down");
        }
        return builder.build();
    }

    static Uni<Boolean> answers(Pool pool) {
        return pool.query("SELECT 1").execute().map(rows -> true)
                .ifNoItem().after(PATIENCE).fail()
                .onFailure().recoverWithItem(false);
    }
}
