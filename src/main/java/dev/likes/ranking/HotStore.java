package dev.likes.ranking;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.likes.citus.CitusCluster;
import dev.likes.db.QueryDeadline;
import dev.likes.db.Writes;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Owns the SQL of the hot ranking's frames (V7__hot_ranking.sql): the newest frame in like_hot, its
 * move, and the walk that re-scores every item still in an older frame. A step of the walk is one
 * call of likes_hot_rebase_group (on Citus, one per shard group), which locks each counter before it
 * sums the item's rows, so no click is lost or counted twice meanwhile.
 */
@ApplicationScoped
public class HotStore {

    static final String FRAME = "SELECT base, half_life, settled FROM like_hot";

    /** $1 $2 the frame read, $3 $4 the new one: moves only from the frame read (another leader's job may have moved it). */
    static final String MOVE = """
            UPDATE like_hot SET base = $3, half_life = $4, settled = false WHERE base = $1 AND half_life = $2
            """;

    static final String SETTLE = "UPDATE like_hot SET settled = true WHERE base = $1 AND half_life = $2";

    /** The next $4 items after $1, in key order, whose score is counted in a frame older than $2 $3. */
    static final String BEHIND = """
            SELECT item_id FROM like_counts
            WHERE item_id > $1 AND (hot_half_life <> $3 OR (hot <> 0 AND hot_base < $2))
            ORDER BY item_id
            LIMIT $4
            """;

    /** $1 an item of the group, $2 the items, $3 $4 the frame. */
    static final String REBASE_GROUP = "SELECT likes_hot_rebase_group($1, $2, $3, $4) AS moved";

    private final CitusCluster citus;
    private final QueryDeadline deadline;

    public HotStore(CitusCluster citus, QueryDeadline deadline) {
        this.citus = citus;
        this.deadline = deadline;
    }

    /** The newest frame, and whether every item has been moved into it. */
    public Uni<Frame> frame(SqlClient client) {
        return deadline.bound(client.query(FRAME).execute()).map(rows -> {
            Row row = rows.iterator().next();
            return new Frame(row.getLong("base"), row.getInteger("half_life"), row.getBoolean("settled"));
        });
    }

    /** Makes {@code to} the newest frame if {@code from} still is; answers whether this call moved it. */
    public Uni<Boolean> move(SqlClient client, Frame from, Frame to) {
        return deadline.bound(Writes.execute(client, MOVE, Tuple.of(from.base(), from.halfLife(), to.base(), to.halfLife())))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Records that the walk into {@code frame} is done. */
    public Uni<Void> settle(SqlClient client, Frame frame) {
        return deadline.bound(Writes.execute(client, SETTLE, Tuple.of(frame.base(), frame.halfLife()))).replaceWithVoid();
    }

    /** Moves up to {@code batch} items after {@code after} into {@code frame}; answers where the walk goes on. */
    public Uni<Walk> step(SqlClient client, Frame frame, String after, int batch) {
        return deadline.bound(client.preparedQuery(BEHIND).execute(Tuple.of(after, frame.base(), frame.halfLife(), batch))).flatMap(rows -> {
            List<String> items = new ArrayList<>(rows.size());
            rows.forEach(row -> items.add(row.getString(0)));
            if (items.isEmpty()) {
                return Uni.createFrom().item(new Walk(after, true));
            }
            Walk walked = new Walk(items.get(items.size() - 1), items.size() < batch);
            // On plain PostgreSQL, one call with every item.
            return citus.known(() -> citus.perShardGroup(items, groupItems -> group(client, frame, groupItems))).replaceWith(walked);
        });
    }

    private Uni<Long> group(SqlClient client, Frame frame, List<String> items) {
        String[] ids = items.toArray(new String[0]);
        return deadline.bound(Writes.execute(client, REBASE_GROUP, Tuple.of(ids[0], ids, frame.base(), frame.halfLife())))
                .map(rows -> rows.iterator().next().getLong("moved"));
    }

    /** Where a walk has come to: the last item it moved, and whether none is left after it. */
    public record Walk(String after, boolean ended) {
    }

    /** A frame: its base (epoch seconds), its half-life (seconds), and whether every item is in it (or a newer one). */
    public record Frame(long base, int halfLife, boolean settled) {
    }
}
