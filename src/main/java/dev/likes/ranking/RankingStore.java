package dev.likes.ranking;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.likes.ha.ReadRoute;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Owns the ranking SQL: a keyset walk of one window's ranking index, never OFFSET; public reads (see {@link ReadRoute}). */
@ApplicationScoped
public class RankingStore {

    /**
     * The index is on (-likes, item_id), so one row comparison seeks straight to the cursor. A removed
     * item leaves the ranking at once, before its job has taken its likes away.
     */
    static final String PAGE = """
            SELECT item_id, likes FROM like_counts c
            WHERE likes > 0 AND (-likes, item_id) > ($1, $2)
              AND NOT EXISTS (SELECT 1 FROM removed_items r WHERE r.item_id = c.item_id)
            ORDER BY -likes, item_id
            LIMIT $3
            """;

    /**
     * The same walk on a window's column and index, with the window's {@code since} read in the same
     * snapshot: one row with null item when the window is empty.
     */
    private static final String WINDOW_PAGE = """
            SELECT w.since, r.item_id, r.likes
            FROM like_windows w
            LEFT JOIN LATERAL (
                SELECT item_id, likes_%1$s AS likes FROM like_counts c
                WHERE likes_%1$s > 0 AND (-likes_%1$s, item_id) > ($1, $2)
                  AND NOT EXISTS (SELECT 1 FROM removed_items r WHERE r.item_id = c.item_id)
                ORDER BY -likes_%1$s, item_id
                LIMIT $3
            ) r ON true
            WHERE w.name = '%1$s'
            ORDER BY r.likes DESC, r.item_id
            """;

    /** The page statement of each window, by window. */
    public static final Map<RankingWindow, String> PAGES = new EnumMap<>(RankingWindow.class);

    static {
        for (RankingWindow window : RankingWindow.values()) {
            PAGES.put(window, window == RankingWindow.ALL ? PAGE : WINDOW_PAGE.formatted(window.label()));
        }
    }

    private final ReadRoute reads;

    public RankingStore(ReadRoute reads) {
        this.reads = reads;
    }

    /** Up to {@code count} items that follow {@code after} in its window, ranked on from its rank. */
    public Uni<Ranked> itemsAfter(RankingCursor after, int count) {
        Tuple asked = Tuple.of(-after.likes(), after.itemId(), count);
        return reads.read(client -> client.preparedQuery(PAGES.get(after.window())).execute(asked)).map(rows -> {
                    List<RankedItem> items = new ArrayList<>(rows.size());
                    OffsetDateTime since = null;
                    long rank = after.rank();
                    for (Row row : rows) {
                        if (after.window() != RankingWindow.ALL) {
                            since = row.getOffsetDateTime("since");
                        }
                        if (row.getString("item_id") != null) {
                            items.add(new RankedItem(++rank, row.getString("item_id"), row.getLong("likes")));
                        }
                    }
                    return new Ranked(since, items);
                });
    }

    /** Items in rank order, and where the window began (null for all time). */
    public record Ranked(OffsetDateTime since, List<RankedItem> items) {
    }
}
