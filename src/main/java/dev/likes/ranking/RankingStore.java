package dev.likes.ranking;

import java.time.Clock;
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

    /**
     * The hot ranking's walk of its index (V7__hot_ranking.sql): the key is log2 of the decayed score
     * plus a constant common to all items; the half-life comes along to turn it into the score.
     */
    private static final String HOT_PAGE = """
            SELECT item_id, likes, likes_hot_rank(hot, hot_base, hot_half_life) AS heat, hot_half_life FROM like_counts c
            WHERE hot > 0 AND (-likes_hot_rank(hot, hot_base, hot_half_life), item_id) > ($1, $2)
              AND NOT EXISTS (SELECT 1 FROM removed_items r WHERE r.item_id = c.item_id)
            ORDER BY -likes_hot_rank(hot, hot_base, hot_half_life), item_id
            LIMIT $3
            """;

    /** The page statement of each window, by window. */
    public static final Map<RankingWindow, String> PAGES = new EnumMap<>(RankingWindow.class);

    static {
        for (RankingWindow window : RankingWindow.values()) {
            PAGES.put(window, switch (window) {
                case ALL -> PAGE;
                case HOT -> HOT_PAGE;
                default -> WINDOW_PAGE.formatted(window.label());
            });
        }
    }

    private final ReadRoute reads;
    private final Clock clock;

    public RankingStore(ReadRoute reads, Clock clock) {
        this.reads = reads;
        this.clock = clock;
    }

    /** Up to {@code count} items that follow {@code after} in its window, ranked on from its rank. */
    public Uni<Ranked> itemsAfter(RankingCursor after, int count) {
        Tuple asked = Tuple.of(after.key().negated(), after.itemId(), count);
        RankingWindow window = after.window();
        return reads.read(client -> client.preparedQuery(PAGES.get(window)).execute(asked)).map(rows -> {
                    List<Placed> items = new ArrayList<>(rows.size());
                    OffsetDateTime since = null;
                    long rank = after.rank();
                    double now = clock.millis() / 1000.0;
                    for (Row row : rows) {
                        if (window != RankingWindow.ALL && window != RankingWindow.HOT) {
                            since = row.getOffsetDateTime("since");
                        }
                        if (row.getString("item_id") == null) {
                            continue;
                        }
                        long likes = row.getLong("likes");
                        if (window == RankingWindow.HOT) {
                            double heat = row.getDouble("heat");
                            // The decayed score now: 2^(key - now / H), the key being log2(score) + t / H at any t.
                            double score = Math.pow(2, heat - now / row.getInteger("hot_half_life"));
                            items.add(new Placed(new RankedItem(++rank, row.getString("item_id"), likes, score), new RankKey.Heat(heat)));
                        } else {
                            items.add(new Placed(new RankedItem(++rank, row.getString("item_id"), likes, likes), new RankKey.Count(likes)));
                        }
                    }
                    return new Ranked(since, items);
                });
    }

    /** Items in rank order, and where the window began (null for all time and hot). */
    public record Ranked(OffsetDateTime since, List<Placed> items) {
    }

    /** An item in its place, and the key a cursor after it carries. */
    public record Placed(RankedItem item, RankKey key) {
    }
}
