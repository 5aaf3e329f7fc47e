package dev.likes.ranking;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.likes.api.ParameterRules;
import io.smallrye.mutiny.Uni;

/** The rules of rankings: page sizes, cursors, and which items rank (those with at least one like). */
@ApplicationScoped
public class RankingService {

    public static final int DEFAULT_LIMIT = 10;
    public static final int MAX_LIMIT = 100;

    private final RankingStore store;

    public RankingService(RankingStore store) {
        this.store = store;
    }

    /** A page of up to {@code limit} items after the cursor {@code after} (the first page without one). */
    public Uni<RankingPage> page(String limit, String after) {
        int size = (int) ParameterRules.limit("limit", limit, MAX_LIMIT, DEFAULT_LIMIT);
        RankingCursor cursor = after == null ? RankingCursor.START : RankingCursor.decode(after);
        // One item more than asked tells whether a next page exists.
        return store.itemsAfter(cursor, size + 1).map(items -> {
            if (items.size() <= size) {
                return new RankingPage(items, null);
            }
            List<RankedItem> page = items.subList(0, size);
            RankedItem last = page.get(size - 1);
            return new RankingPage(List.copyOf(page), new RankingCursor(last.likes(), last.rank(), last.itemId()).encode());
        });
    }
}
