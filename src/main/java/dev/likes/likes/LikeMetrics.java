package dev.likes.likes;

import java.time.Duration;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;

/**
 * What operators watch on the write path: likes and unlikes applied, repeats that changed
 * nothing, and write latency, for failures too (outcome "error": what an outage looks like).
 * Meters are made once, so a click costs no registry lookup.
 */
// A singleton, not application-scoped: every click calls it, so no client proxy stands in between.
@Singleton
public class LikeMetrics {

    private final Meters likes;
    private final Meters unlikes;

    public LikeMetrics(MeterRegistry registry) {
        this.likes = new Meters(registry, "like");
        this.unlikes = new Meters(registry, "unlike");
    }

    public Uni<LikeChange> timeLike(Uni<LikeChange> like) {
        return likes.time(like);
    }

    public Uni<LikeChange> timeUnlike(Uni<LikeChange> unlike) {
        return unlikes.time(unlike);
    }

    /** Clicks per write statement: above 1 when the service gathers clicks under load. */
    DistributionSummary clicksPerStatement(Direction direction) {
        return (direction.likes() ? likes : unlikes).clicksPerStatement;
    }

    private static final class Meters {

        private final MeterRegistry registry;
        private final Timer latency;
        private final Timer failedLatency;
        private final Counter applied;
        private final Counter repeats;
        private final DistributionSummary clicksPerStatement;

        Meters(MeterRegistry registry, String action) {
            this.registry = registry;
            this.latency = latency(registry, action, "ok");
            this.failedLatency = latency(registry, action, "error");
            this.applied = Counter.builder("likes.applied").description("Likes or unlikes that changed the state")
                    .tag("action", action).register(registry);
            this.repeats = Counter.builder("likes.repeats").description("Likes or unlikes that changed nothing")
                    .tag("action", action).register(registry);
            this.clicksPerStatement = DistributionSummary.builder("likes.write.batch")
                    .description("Clicks written by one statement").baseUnit("clicks")
                    .tag("action", action).register(registry);
        }

        Uni<LikeChange> time(Uni<LikeChange> write) {
            Timer.Sample sample = Timer.start(registry);
            return write.onItemOrFailure().invoke((change, failure) -> {
                if (failure != null) {
                    sample.stop(failedLatency);
                } else {
                    sample.stop(latency);
                    (change.changed() ? applied : repeats).increment();
                }
            });
        }

        private static Timer latency(MeterRegistry registry, String action, String outcome) {
            return Timer.builder("likes.write")
                    .description("Time to answer a like or unlike, database included")
                    .tags("action", action, "outcome", outcome)
                    .serviceLevelObjectives(ms(1), ms(2), ms(5), ms(10), ms(25), ms(50), ms(100), ms(250), ms(1000))
                    .register(registry);
        }

        private static Duration ms(long millis) {
            return Duration.ofMillis(millis);
        }
    }
}
