package dev.likes.imports;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.likes.citus.CitusCluster;
import dev.likes.db.LostRace;
import dev.likes.db.Writes;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.sqlclient.DatabaseException;

/**
 * An import's batch on Citus (V12__citus_imports.sql), where {@link ImportStore#LOAD} cannot be
 * planned (it moves the likes of many items, on many workers, at once): the batch's likes go to
 * their shard groups, calls of likes_import_group of about {@link #CALL_LIKES} likes, one after another, each a
 * transaction on its worker that adds the rows and moves the buckets and counters together; then the
 * batch is recorded done, with the items it changed, on the coordinator.
 *
 * <p>What this gives up against one PostgreSQL: a batch is one transaction per shard group, and its
 * record comes after them, so a run killed between the two loads the batch again when it goes on;
 * every call is safe to repeat (a like already there is left as it is, so it is neither loaded nor
 * counted twice) and the batch's figures then count it as duplicates. On plain PostgreSQL this runs
 * too (one group), which is how the tests compare it with the single-node statement.
 */
@ApplicationScoped
public class ShardGroupLoads {

    /** $1 the shard group's first item, $2 items, $3 users, $4 times (the group's likes, in source order), $5 now. */
    static final String GROUP = "SELECT loaded, barred, items FROM likes_import_group($1, $2, $3, $4, $5)";

    /** $1 the import, $2 the batch, $3 its source rows, $4 the items changed, $5 likes loaded, $6 barred. */
    static final String DONE = """
            WITH touched AS (
                INSERT INTO like_import_items (name, item_id) SELECT DISTINCT $1, unnest($4::varchar[])
                ON CONFLICT DO NOTHING
            )
            INSERT INTO like_import_batches (name, batch, rows, loaded, barred) VALUES ($1, $2, $3, $5, $6)
            """;

    /**
     * Likes one call takes (about: an item's likes stay in one call): a call holds its items' counters
     * until it commits, and must end well within the statement timeout beside live clicks (a group's
     * share of a 5,000-like batch in one call timed out under the drill's load, and so, once, did a
     * call of 250 likes of 25 items while the machine stalled).
     */
    static final int CALL_LIKES = 100;

    /** SQLSTATE of a statement the server cancelled at the statement timeout. */
    private static final String TIMED_OUT = "57014";

    private final Pool pool;
    private final CitusCluster citus;

    public ShardGroupLoads(Pool pool, CitusCluster citus) {
        this.pool = pool;
        this.citus = citus;
    }

    /** As {@link ImportStore#load}. */
    Uni<ImportStore.Loaded> load(String name, long batch, int rows, List<SourceRow.Good> likes, OffsetDateTime now) {
        Uni<List<ImportStore.Loaded>> groups = likes.isEmpty() ? Uni.createFrom().item(List.of())
                : citus.perShardGroup(likes, SourceRow.Good::itemId, CALL_LIKES, group -> call(group, now));
        return groups.flatMap(answers -> {
            long loaded = 0;
            long barred = 0;
            List<String> items = new ArrayList<>();
            for (ImportStore.Loaded answer : answers) {
                loaded += answer.loaded();
                barred += answer.barred();
                items.addAll(answer.items());
            }
            ImportStore.Loaded all = new ImportStore.Loaded(loaded, barred, items);
            return Writes.execute(pool, DONE, Tuple.from(List.of(name, batch, rows, items.toArray(new String[0]), loaded, barred)))
                    .replaceWith(all);
        });
    }

    /**
     * One call. A lost race (a deadlock with a click) runs it again, and so does a call that ran into
     * the statement timeout (the database was slow for a moment): a run of many small calls should not
     * end on one, and each is safe to repeat.
     */
    private Uni<ImportStore.Loaded> call(List<SourceRow.Good> group, OffsetDateTime now) {
        String[] items = group.stream().map(SourceRow.Good::itemId).toArray(String[]::new);
        String[] users = group.stream().map(SourceRow.Good::userId).toArray(String[]::new);
        OffsetDateTime[] times = group.stream().map(SourceRow.Good::createdAt).toArray(OffsetDateTime[]::new);
        return Writes.execute(pool, GROUP, Tuple.from(List.of(items[0], items, users, times, now)))
                .onFailure(ShardGroupLoads::worthRepeating).retry().withBackOff(Duration.ofMillis(100)).atMost(5)
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new ImportStore.Loaded(row.getLong("loaded"), row.getLong("barred"), List.of(row.getArrayOfStrings("items")));
                });
    }

    private static boolean worthRepeating(Throwable failure) {
        return LostRace.is(failure) || failure instanceof DatabaseException db && TIMED_OUT.equals(db.getSqlState());
    }
}
