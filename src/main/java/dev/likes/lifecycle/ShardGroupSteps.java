package dev.likes.lifecycle;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import dev.likes.citus.CitusCluster;
import dev.likes.db.LostRace;
import dev.likes.db.Writes;
import dev.likes.events.OutboxStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A lifecycle job's batch on Citus (V9__citus_lifecycle.sql), where {@link LifecycleStore}'s batch
 * statement cannot be planned (it moves the likes of many items, on many workers, at once): the
 * batch is found by a bounded read ({@link #BATCHES}: a user's likes are on every shard, each shard
 * gives at most the batch size and the coordinator keeps that many; an item's likes are in its own
 * shard group), then moved by one call of likes_lifecycle_group per shard group, each a transaction
 * on its worker that moves the rows, buckets and counters together; then the job's progress. The
 * requests, the fences and the jobs' last statements are the single-node ones: Citus plans them.
 *
 * <p>What this gives up against one PostgreSQL: a batch is one transaction per shard group, not one
 * in all, and the progress ({@code likes} of the job) is recorded after them, so a crash between the
 * two leaves that figure short by the batch (the counts stay exact: they move with the rows). A
 * batch cut short moved some groups; the next batch finds what is left, as every call is safe to
 * repeat. On plain PostgreSQL these steps run too (one group), which is how the tests compare them
 * with the single-node statements.
 */
@ApplicationScoped
public class ShardGroupSteps {

    /**
     * Each kind's batch: $1 the subject, $2 the batch size; the items to call for. Removals need no
     * read (the one item; its call takes up to the batch size of its likes, in user order). A user's
     * likes are taken while the job's state still holds, as in the single-node batches, so a job that
     * a later request overtook reads nothing and ends.
     */
    static final Map<JobKind, String> BATCHES = new EnumMap<>(Map.of(
            JobKind.ERASE_USER, "SELECT item_id FROM likes WHERE user_id = $1 LIMIT $2",
            JobKind.SUSPEND_USER, """
                    SELECT item_id FROM likes
                    WHERE user_id = $1 AND EXISTS (SELECT 1 FROM suspended_users WHERE user_id = $1) LIMIT $2""",
            JobKind.REINSTATE_USER, """
                    SELECT item_id FROM suspended_likes
                    WHERE user_id = $1 AND NOT EXISTS (SELECT 1 FROM suspended_users WHERE user_id = $1) LIMIT $2"""));

    /**
     * $1 the shard group's first item (Citus sends the call to its worker), $2 the kind, $3 the subject,
     * $4 the items, $5 the batch size, $6 now, $7 whether it records the events of the likes it moves.
     */
    static final String GROUP = "SELECT item_id, moved FROM likes_lifecycle_group($1, $2, $3, $4, $5, $6, $7)";

    /**
     * Items one call takes at most (a group's share of a batch goes in calls of this many, one after
     * another: CitusCluster#perShardGroup): a call holds its items' counters until it commits, so it must end well within the
     * statement timeout while clicks on those items queue behind it (under write load a call of 60
     * items of a 500-like erasure timed out again and again in the drill, and the erasure waited for
     * the load to end).
     */
    static final int CALL_ITEMS = 25;

    /** $1 the job, $2 the like rows a batch moved. */
    static final String PROGRESS = "UPDATE lifecycle_jobs SET likes = likes + $2 WHERE id = $1";

    private final CitusCluster citus;
    private final boolean events;

    public ShardGroupSteps(CitusCluster citus, OutboxStore outbox) {
        this.citus = citus;
        this.events = outbox.enabled();
    }

    /** One batch of the job, as {@link LifecycleStore#step} answers it. */
    Uni<LifecycleStore.Step> step(SqlClient client, LifecycleJob job, int batch, OffsetDateTime now) {
        Uni<List<String>> items = job.kind() == JobKind.REMOVE_ITEM ? Uni.createFrom().item(List.of(job.subject()))
                : client.preparedQuery(BATCHES.get(job.kind())).execute(Tuple.of(job.subject(), batch)).map(ShardGroupSteps::items);
        return items.flatMap(found -> found.isEmpty() ? Uni.createFrom().item(new LifecycleStore.Step(0, 0, List.of()))
                : citus.perShardGroup(found, Function.identity(), CALL_ITEMS, group -> call(client, job, group, batch, now, events)).flatMap(answers -> {
                    long moved = 0;
                    List<String> changed = new ArrayList<>();
                    for (RowSet<Row> answer : answers) {
                        for (Row row : answer) {
                            if (row.getLong("moved") > 0) {
                                moved += row.getLong("moved");
                                changed.add(row.getString("item_id"));
                            }
                        }
                    }
                    // A removal's call took what it moved; the others took what the read found.
                    LifecycleStore.Step step = new LifecycleStore.Step(job.kind() == JobKind.REMOVE_ITEM ? moved : found.size(), moved, changed);
                    return moved == 0 ? Uni.createFrom().item(step)
                            : Writes.execute(client, PROGRESS, Tuple.of(job.id(), moved)).replaceWith(step);
                }));
    }

    /** One call ({@link #CALL_ITEMS} items at most); a lost race (a deadlock with a click) runs it again. */
    private static Uni<RowSet<Row>> call(SqlClient client, LifecycleJob job, List<String> items, int batch, OffsetDateTime now,
            boolean events) {
        Tuple call = Tuple.tuple(List.of(items.get(0), job.kind().label, job.subject(), items.toArray(new String[0]), batch, now, events));
        return Writes.execute(client, GROUP, call).onFailure(LostRace::is).retry().atMost(5);
    }

    private static List<String> items(RowSet<Row> rows) {
        List<String> items = new ArrayList<>(rows.size());
        rows.forEach(row -> items.add(row.getString("item_id")));
        return items;
    }
}
