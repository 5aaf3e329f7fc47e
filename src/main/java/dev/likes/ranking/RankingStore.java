package dev.likes.ranking;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Owns the ranking SQL: a keyset walk of the like_counts_ranking index, never OFFSET. */
@ApplicationScoped
public class RankingStore {

    /** The index is on (-likes, item_id), so one row comparison seeks straight to the cursor. */
    static final String PAGE = """
            SELECT item_id, likes FROM like_counts
            WHERE likes > 0 AND (-likes, item_id) > ($1, $2)
            ORDER BY -likes, item_id
            LIMIT $3
            """;

    private final Pool pool;

    public RankingStore(Pool pool) {
        this.pool = pool;
    }

    /** Up to {@code count} items that follow {@code after}, ranked on from its rank. */
    public Uni<List<RankedItem>> itemsAfter(RankingCursor after, int count) {
        return pool.preparedQuery(PAGE).execute(Tuple.of(-after.likes(), after.itemId(), count)).map(rows -> {
            List<RankedItem> items = new ArrayList<>(rows.size());
            long rank = after.rank();
            for (Row row : rows) {
                items.add(new RankedItem(++rank, row.getString("item_id"), row.getLong("likes")));
            }
            return items;
        });
    }
}
