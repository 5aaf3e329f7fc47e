package dev.likes.ranking;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.likes.config.LikesConfig;
import dev.likes.ha.LeaderJobs;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The hot ranking's re-base (V7__hot_ranking.sql): a like's term 2^((created_at - base) / H) grows
 * as time leaves the frame's base behind, so once the newest frame is {@value #REBASE_AFTER}
 * half-lives old (or the half-life setting changed), the leader moves it to the current minute and
 * walks every item still counted in an older frame into it, a batch at a time
 * ({@code likes.windows.aging-batch}). A walk cut short (a restart, a lost lead) goes on at the
 * next run: the frame stays unsettled until a walk has reached the end.
 */
@ApplicationScoped
public class HotRebase {

    /**
     * Half-lives after which the frame moves: the terms of likes made since stay below about 2^8; a
     * like more than about 21 half-lives before the frame weighs 0 (its term rounds to 0 at 6 decimals).
     */
    static final int REBASE_AFTER = 8;

    private final HotStore store;
    private final LeaderJobs jobs;
    private final Clock clock;
    private final int halfLife;
    private final int batch;

    public HotRebase(HotStore store, LeaderJobs jobs, Clock clock, LikesConfig config) {
        this.store = store;
        this.jobs = jobs;
        this.clock = clock;
        this.halfLife = (int) config.windows().hotHalfLife().toSeconds();
        this.batch = config.windows().agingBatch();
    }

    void schedule(@Observes StartupEvent start, LikesConfig config) {
        jobs.schedule("hot-rebase", config.windows().agingInterval(), this::rebase);
    }

    /** Moves the frame when due and walks what is behind it; completes when every item is in the newest frame. */
    public Uni<Void> rebase() {
        return store.frame(jobs.client()).flatMap(frame -> {
            long now = clock.millis() / 1000;
            if (frame.halfLife() == halfLife && now - frame.base() < (long) REBASE_AFTER * halfLife) {
                return frame.settled() ? Uni.createFrom().voidItem() : walk(frame);
            }
            HotStore.Frame next = new HotStore.Frame(now - now % 60, halfLife, false);
            // Another leader's job that moved it first walks it; this run walks whatever is newest.
            return store.move(jobs.client(), frame, next).flatMap(moved -> store.frame(jobs.client())).flatMap(this::walk);
        });
    }

    /** Step after step (a loop, not a recursion) from the first item to the last, then the frame is settled. */
    private Uni<Void> walk(HotStore.Frame frame) {
        HotStore.Walk[] walked = {new HotStore.Walk("", false)};
        return Multi.createBy().repeating().uni(() -> store.step(jobs.client(), frame, walked[0].after(), batch).invoke(step -> walked[0] = step))
                .whilst(step -> !step.ended())
                .collect().last()
                .flatMap(done -> store.settle(jobs.client(), frame));
    }
}
