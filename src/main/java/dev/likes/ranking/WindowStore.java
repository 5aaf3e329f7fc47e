package dev.likes.ranking;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.likes.citus.CitusCluster;
import dev.likes.db.QueryDeadline;
import dev.likes.db.Writes;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Owns the SQL that moves whole minutes out of the trending windows (see V2__trending_windows.sql).
 * One step is one short statement (on Citus, a short call per shard group: see {@link #DUE_BY_ITEM}): it takes up to a batch of the oldest buckets that a window should
 * no longer count, locks them and then their counters in key order (the order clicks use), and moves
 * their likes out of the window's count. Leaving the week, the longest window, deletes the bucket.
 * Every statement is bounded ({@link QueryDeadline}): the leader skips a run while the last one is
 * under way, so one statement left unanswered would stop the windows for good on this replica.
 */
@ApplicationScoped
public class WindowStore {

    /**
     * $1 the window's level, $2 its new since, $3 the batch. A bucket that another replica's job
     * moved meanwhile fails the re-check of counted_in under the lock and is left alone.
     */
    private static final String STEP = """
            WITH due AS (
                SELECT item_id, minute FROM like_buckets
                WHERE counted_in = $1 AND minute < $2
                ORDER BY counted_in, minute
                LIMIT $3
            ), held AS (
                SELECT item_id, minute FROM like_buckets
                WHERE (item_id, minute) IN (SELECT item_id, minute FROM due) AND counted_in = $1
                ORDER BY item_id, minute
                FOR UPDATE
            ), moved AS (
                %2$s
                RETURNING b.item_id, b.likes
            ), left_window AS (
                SELECT item_id, sum(likes)::bigint AS n FROM moved GROUP BY item_id
            ), locked AS (
                SELECT c.item_id, l.n FROM like_counts c JOIN left_window l USING (item_id)
                ORDER BY c.item_id
                FOR UPDATE OF c
            ), counted AS (
                UPDATE like_counts AS c SET likes_%1$s = greatest(c.likes_%1$s - k.n, 0)
                FROM locked k
                WHERE c.item_id = k.item_id
                RETURNING c.item_id
            )
            SELECT (SELECT count(*) FROM due) AS due, (SELECT count(*) FROM moved) AS moved
            """;

    /** Hour buckets become day buckets, day buckets become week buckets. */
    private static final String DEMOTE = """
            UPDATE like_buckets AS b SET counted_in = b.counted_in - 1
                FROM held WHERE b.item_id = held.item_id AND b.minute = held.minute""";

    private static final String PRUNE = """
            DELETE FROM like_buckets AS b
                USING held WHERE b.item_id = held.item_id AND b.minute = held.minute""";

    /** Never moves a window's since backwards (replicas' clocks differ slightly). */
    private static final String MARK = "UPDATE like_windows SET since = greatest(since, $2) WHERE name = $1";

    /**
     * On Citus, a step's first half: the items of up to $3 of the oldest buckets that window level $1
     * should no longer count (older than $2), and how many of those buckets each has. Citus takes
     * the oldest of each shard and merges them.
     */
    static final String DUE_BY_ITEM = """
            SELECT item_id, count(*) AS buckets FROM (
                SELECT item_id FROM like_buckets
                WHERE counted_in = $1 AND minute < $2
                ORDER BY counted_in, minute
                LIMIT $3
            ) due
            GROUP BY item_id
            """;

    /**
     * On Citus, the second half, once per shard group: its items' due buckets move, item by item, on
     * the group's worker (likes_age_group in V6__citus.sql). $1 an item of the group, $2 the items,
     * $3 the window's level, $4 its new since.
     */
    static final String AGE_GROUP = "SELECT likes_age_group($1, $2, $3, $4) AS moved";

    static final Map<RankingWindow, String> STEPS = new EnumMap<>(RankingWindow.class);

    static {
        for (RankingWindow window : RankingWindow.values()) {
            if (window != RankingWindow.ALL) {
                STEPS.put(window, STEP.formatted(window.label(), window == RankingWindow.WEEK ? PRUNE : DEMOTE));
            }
        }
    }

    private final CitusCluster citus;
    private final QueryDeadline deadline;

    public WindowStore(CitusCluster citus, QueryDeadline deadline) {
        this.citus = citus;
        this.deadline = deadline;
    }

    /** Moves up to {@code batch} buckets older than {@code since} out of {@code window}, through {@code client}. */
    public Uni<Step> step(SqlClient client, RankingWindow window, Instant since, int batch) {
        return citus.known(() -> citus.active() ? stepByShardGroup(client, window, since, batch) : stepAsOne(client, window, since, batch));
    }

    private Uni<Step> stepAsOne(SqlClient client, RankingWindow window, Instant since, int batch) {
        return deadline.bound(Writes.execute(client, STEPS.get(window), Tuple.of(window.level, utc(since), batch)))
                .map(rows -> {
                    var row = rows.iterator().next();
                    return new Step(row.getLong("due"), row.getLong("moved"));
                });
    }

    /**
     * On Citus: the due buckets' items, then one call per shard group, one after another (aging is
     * background work: it keeps one connection and one worker busy at a time). The items' other due
     * buckets of that window go along with them, so a step may move more buckets than it found due.
     */
    private Uni<Step> stepByShardGroup(SqlClient client, RankingWindow window, Instant since, int batch) {
        OffsetDateTime until = utc(since);
        return deadline.bound(client.preparedQuery(DUE_BY_ITEM).execute(Tuple.of(window.level, until, batch))).flatMap(rows -> {
            List<String> items = new ArrayList<>(rows.size());
            long due = 0;
            for (Row row : rows) {
                items.add(row.getString("item_id"));
                due += row.getLong("buckets");
            }
            long found = due;
            return citus.perShardGroup(items, groupItems -> deadline.bound(Writes.execute(client, AGE_GROUP,
                            Tuple.of(groupItems.get(0), groupItems.toArray(new String[0]), (short) window.level, until)))
                            .map(result -> result.iterator().next().getLong("moved")))
                    .map(moved -> new Step(found, moved.stream().mapToLong(Long::longValue).sum()));
        });
    }

    /** Records that {@code window} now counts from {@code since}. */
    public Uni<Void> mark(SqlClient client, RankingWindow window, Instant since) {
        return deadline.bound(Writes.execute(client, MARK, Tuple.of(window.label(), utc(since)))).replaceWithVoid();
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** How many buckets the step found due, and how many it moved (fewer when another job took some). */
    public record Step(long due, long moved) {
    }
}
