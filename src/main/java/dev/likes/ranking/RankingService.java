package dev.likes.ranking;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.likes.api.ParameterRules;
import io.smallrye.mutiny.Uni;

/** The rules of rankings: windows, page sizes, cursors, and which items rank (those with at least one like). */
@ApplicationScoped
public class RankingService {

    public static final int DEFAULT_LIMIT = 10;
    public static final int MAX_LIMIT = 100;

    private final RankingStore store;

    public RankingService(RankingStore store) {
        this.store = store;
    }

    /** A page of up to {@code limit} items of {@code window} after the cursor {@code after} (the first page without one). */
    public Uni<RankingPage> page(String window, String limit, String after) {
        RankingWindow span = RankingWindow.parse(window);
        int size = (int) ParameterRules.limit("limit", limit, MAX_LIMIT, DEFAULT_LIMIT);
        RankingCursor cursor = after == null ? RankingCursor.start(span) : RankingCursor.decode(after, span);
        // One item more than asked tells whether a next page exists.
        return store.itemsAfter(cursor, size + 1).map(ranked -> {
            List<RankedItem> items = ranked.items();
            if (items.size() <= size) {
                return new RankingPage(span.label(), ranked.since(), items, null);
            }
            List<RankedItem> page = items.subList(0, size);
            RankedItem last = page.get(size - 1);
            return new RankingPage(span.label(), ranked.since(), List.copyOf(page),
                    new RankingCursor(span, last.likes(), last.rank(), last.itemId()).encode());
        });
    }
}
