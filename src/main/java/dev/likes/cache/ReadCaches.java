package dev.likes.cache;

import java.time.Duration;
import java.util.function.Supplier;

import jakarta.inject.Singleton;

import dev.likes.config.LikesConfig;
import dev.likes.metrics.Gauges;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;

/**
 * This replica's public reads from memory, as configured ({@code likes.read.*}): the items' counts
 * ({@link CountCache}, off with {@code cache-max-items=0}) and the first pages of the rankings
 * ({@link Refreshed}, off with {@code rankings-refresh=0s}), with their metrics: hits, misses,
 * entries, evictions, and how long a change takes to be announced to this replica.
 */
// A singleton, not application-scoped: every click calls it, so no client proxy stands in between.
@Singleton
public class ReadCaches {

    private final CountCache counts;
    private final boolean countsKept;
    private final Duration rankingsRefresh;
    private final Gauges gauges;
    private final Timer announcementDelay;

    public ReadCaches(LikesConfig config, Gauges gauges, MeterRegistry registry) {
        LikesConfig.PublicReads read = config.read();
        this.countsKept = read.cacheMaxItems() > 0;
        this.counts = new CountCache(Math.max(1, read.cacheMaxItems()), read.cacheMaxAge(), System::nanoTime);
        this.rankingsRefresh = read.rankingsRefresh();
        this.gauges = gauges;
        gauges.register(Gauge.builder("likes.read.cache.entries", counts, CountCache::entries)
                .tag("of", "counts").description("Items whose counts this replica keeps in memory"));
        gauges.register(FunctionCounter.builder("likes.read.cache.hits", counts, CountCache::hits)
                .tag("of", "counts").description("Counts served from memory"));
        gauges.register(FunctionCounter.builder("likes.read.cache.misses", counts, CountCache::misses)
                .tag("of", "counts").description("Counts read from the database (not in memory, too old, or announced changed)"));
        gauges.register(FunctionCounter.builder("likes.read.cache.evictions", counts, CountCache::evictions)
                .tag("of", "counts").description("Counts dropped from memory to stay within likes.read.cache-max-items"));
        this.announcementDelay = Timer.builder("likes.read.cache.announcement.delay")
                .description("From a change's commit on a replica to its announcement's arrival here (as the clocks of the two tell)")
                .register(registry);
    }

    /** Whether counts are kept in memory at all ({@code likes.read.cache-max-items} above 0). */
    public boolean countsKept() {
        return countsKept;
    }

    public CountCache counts() {
        return counts;
    }

    /** The first pages of a ranking: kept for the refresh interval, when there is one; {@code read} fetches them. */
    public <T> Refreshed<T> firstPages(String ranking, Supplier<Uni<T>> read) {
        Refreshed<T> pages = new Refreshed<>(rankingsRefresh, read, System::nanoTime);
        gauges.register(FunctionCounter.builder("likes.read.cache.hits", pages, Refreshed::hits)
                .tag("of", "rankings-" + ranking).description("Ranking first pages served from memory or a read already under way"));
        gauges.register(FunctionCounter.builder("likes.read.cache.misses", pages, Refreshed::reads)
                .tag("of", "rankings-" + ranking).description("Ranking first pages read from the database"));
        return pages;
    }

    /** Whether ranking first pages are kept at all ({@code likes.read.rankings-refresh} above 0). */
    public boolean rankingsKept() {
        return !rankingsRefresh.isZero();
    }

    /** An announcement arrived, {@code millis} after the change it announces. */
    public void announced(long millis) {
        announcementDelay.record(Duration.ofMillis(Math.max(0, millis)));
    }
}
