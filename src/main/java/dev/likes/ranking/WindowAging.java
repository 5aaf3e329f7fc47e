package dev.likes.ranking;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.likes.config.LikesConfig;
import dev.likes.ha.LeaderJobs;
import dev.likes.ha.Leadership;
import dev.likes.metrics.Gauges;
import io.micrometer.core.instrument.Gauge;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The background job that slides the trending windows: every {@code likes.windows.aging-interval} it
 * moves the minutes that have left the hour, the day and the week out of them, a bounded batch of
 * buckets per statement, so that it never holds a counter for long. The leader runs it ({@link LeaderJobs});
 * should two replicas ever run it at once (a leader that has not yet noticed it lost its session), two
 * jobs on one bucket are serialized by its row lock, and the second one finds it already moved.
 */
@ApplicationScoped
public class WindowAging {

    private static final List<RankingWindow> WINDOWS = List.of(RankingWindow.HOUR, RankingWindow.DAY, RankingWindow.WEEK);

    private final WindowStore store;
    private final LeaderJobs jobs;
    private final Clock clock;
    private final int batch;
    private final Map<RankingWindow, AtomicReference<Instant>> reached = new EnumMap<>(RankingWindow.class);

    public WindowAging(WindowStore store, LeaderJobs jobs, Clock clock, Gauges gauges, LikesConfig config, Leadership leadership) {
        this.store = store;
        this.jobs = jobs;
        this.clock = clock;
        this.batch = config.windows().agingBatch();
        for (RankingWindow window : WINDOWS) {
            AtomicReference<Instant> since = new AtomicReference<>();
            reached.put(window, since);
            // Only the leader ages the windows; on the other replicas there is nothing to report.
            gauges.register(Gauge.builder("likes.window.lag", () -> leadership.isLeader() ? lagSeconds(window, since.get()) : Double.NaN)
                    .tag("window", window.label())
                    .baseUnit("seconds")
                    .description("How far the window's since trails the minute it should have reached (NaN before the first pass, and on replicas that do not lead)")
                    );
        }
    }

    void schedule(@Observes StartupEvent start, LikesConfig config) {
        jobs.schedule("window-aging", config.windows().agingInterval(), this::age);
    }

    /**
     * Moves every window on to the clock's current minute; completes when all are there. On the
     * leader's fenced connections: it stops (fails) as soon as this replica's term ends.
     */
    public Uni<Void> age() {
        Instant minute = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        Uni<Void> pass = Uni.createFrom().voidItem();
        for (RankingWindow window : WINDOWS) {
            pass = pass.flatMap(done -> age(window, minute.minus(window.span)));
        }
        return pass;
    }

    /**
     * Step after step (a loop, not a recursion: a backlog of thousands of steps must not grow the
     * stack) until a step finds fewer buckets due than it may take. Then every bucket that was due
     * has been moved, by this job or another replica's, and the window's since can say so.
     */
    private Uni<Void> age(RankingWindow window, Instant since) {
        return Multi.createBy().repeating().uni(() -> store.step(jobs.client(), window, since, batch))
                .whilst(step -> step.due() >= batch)
                .collect().last()
                .flatMap(done -> store.mark(jobs.client(), window, since))
                .invoke(() -> reached.get(window).set(since));
    }

    private double lagSeconds(RankingWindow window, Instant since) {
        if (since == null) {
            return Double.NaN;
        }
        Instant due = clock.instant().truncatedTo(ChronoUnit.MINUTES).minus(window.span);
        return Math.max(0, Duration.between(since, due).toSeconds());
    }
}
