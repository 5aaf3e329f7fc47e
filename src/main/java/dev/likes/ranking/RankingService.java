package dev.likes.ranking;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.likes.api.ParameterRules;
import dev.likes.cache.ReadCaches;
import dev.likes.cache.Refreshed;
import io.smallrye.mutiny.Uni;

/**
 * The rules of rankings: windows, page sizes, cursors, and which items rank (those with at least one
 * like). The first page of each window is the same for everyone: it is kept in memory and read again
 * at most every {@code likes.read.rankings-refresh} (its first {@value #MAX_LIMIT} items, whatever the
 * page size asked), by one read for all who ask meanwhile; later pages are read from the database.
 */
@ApplicationScoped
public class RankingService {

    public static final int DEFAULT_LIMIT = 10;
    public static final int MAX_LIMIT = 100;

    private final RankingStore store;
    /** By window, when first pages are kept in memory; empty when every page is read from the database. */
    private final Map<RankingWindow, Refreshed<RankingStore.Ranked>> firstPages = new EnumMap<>(RankingWindow.class);

    public RankingService(RankingStore store, ReadCaches caches) {
        this.store = store;
        if (caches.rankingsKept()) {
            for (RankingWindow window : RankingWindow.values()) {
                // One item more than the largest page tells whether a next page exists.
                firstPages.put(window, caches.firstPages(window.label(), () -> store.itemsAfter(RankingCursor.start(window), MAX_LIMIT + 1)));
            }
        }
    }

    /** A page of up to {@code limit} items of {@code window} after the cursor {@code after} (the first page without one). */
    public Uni<RankingPage> page(String window, String limit, String after) {
        RankingWindow span = RankingWindow.parse(window);
        int size = (int) ParameterRules.limit("limit", limit, MAX_LIMIT, DEFAULT_LIMIT);
        RankingCursor cursor = after == null ? RankingCursor.start(span) : RankingCursor.decode(after, span);
        // One item more than asked tells whether a next page exists.
        Uni<RankingStore.Ranked> ranked = after == null && firstPages.containsKey(span)
                ? firstPages.get(span).get()
                : store.itemsAfter(cursor, size + 1);
        return ranked.map(found -> {
            List<RankingStore.Placed> placed = found.items();
            List<RankedItem> page = placed.stream().limit(size).map(RankingStore.Placed::item).toList();
            if (placed.size() <= size) {
                return new RankingPage(span.label(), found.since(), page, null);
            }
            RankingStore.Placed last = placed.get(size - 1);
            return new RankingPage(span.label(), found.since(), page,
                    new RankingCursor(span, last.key(), last.item().rank(), last.item().itemId()).encode());
        });
    }
}
