package dev.likes.likes;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Singleton;

import dev.likes.cache.ReadCaches;
import dev.likes.citus.CitusCluster;
import dev.likes.counting.CountAnnouncer;
import dev.likes.db.QueryDeadline;
import dev.likes.db.Writes;
import dev.likes.events.OutboxStore;
import dev.likes.ha.ReadRoute;
import dev.likes.ha.ReadRoute.Prefer;
import dev.likes.likes.ClickStatement.Events;
import dev.likes.likes.ClickStatement.Limits;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Owns the SQL of likes and counts. Likes (or unlikes) are written by one statement for one click or
 * for many ({@link ClickStatement}): it adds or removes the like rows under their unique key and moves
 * each item's counts in that same statement, by the number of rows really added or removed, and,
 * while events are on, records an event for each row in that same statement too (dev.likes.events).
 */
// A singleton, not application-scoped: every click calls it, so no client proxy stands in between.
@Singleton
public class LikeStore {

    /**
     * On Citus: the counters of the ids asked (no order, none for an item without one), and whether
     * the user likes each, as a join on the distribution column that Citus sends to the shards of
     * those ids only. Without a user, the counters alone (Citus cannot plan the join on a null user).
     * An item without a counter is answered 0 and not liked: only drift (a counter row deleted by
     * hand) makes that differ from its rows, and a recount puts the counter back.
     */
    private static final String SHARDED_COUNTS = """
            SELECT c.item_id, c.likes, l.user_id IS NOT NULL AS liked
            FROM like_counts c LEFT JOIN likes l ON l.item_id = c.item_id AND l.user_id = $2
            WHERE c.item_id = ANY($1)
            """;
    private static final String SHARDED_PUBLIC_COUNTS = "SELECT item_id, likes, false AS liked FROM like_counts WHERE item_id = ANY($1)";

    /** Counts for a list of ids in the order given, and whether a user likes each: one round trip. */
    private static final String COUNTS = """
            SELECT asked.item_id,
                   COALESCE(c.likes, 0) AS likes,
                   $2::varchar IS NOT NULL
                   AND EXISTS (SELECT 1 FROM likes l WHERE l.item_id = asked.item_id AND l.user_id = $2) AS liked
            FROM unnest($1::varchar[]) WITH ORDINALITY AS asked(item_id, position)
            LEFT JOIN like_counts c ON c.item_id = asked.item_id
            ORDER BY asked.position
            """;

    private final Pool pool;
    private final ReadRoute reads;
    private final Clock clock;
    private final ChangeLimits limits;
    private final CountAnnouncer announcer;
    private final OutboxStore outbox;
    private final CitusCluster citus;
    private final QueryDeadline deadline;
    private final ReadCaches caches;
    /** The write path on Citus. */
    private final ShardGroupClicks sharded;

    public LikeStore(Pool pool, ReadRoute reads, Clock clock, ChangeLimits limits, CountAnnouncer announcer, OutboxStore outbox,
            CitusCluster citus, QueryDeadline deadline, ReadCaches caches, ShardGroupClicks sharded) {
        this.caches = caches;
        this.sharded = sharded;
        this.pool = pool;
        this.reads = reads;
        this.clock = clock;
        this.limits = limits;
        this.announcer = announcer;
        this.outbox = outbox;
        this.citus = citus;
        this.deadline = deadline;
    }

    /**
     * Likes or unlikes, as one statement, clicks on distinct (item, user) pairs.
     * Answers what became of each click, in the order of the clicks (see {@link ClickOutcome}).
     */
    Uni<List<ClickOutcome>> write(Direction direction, List<Like.Key> clicks) {
        return citus.known(() -> citus.active() ? sharded.write(direction, clicks, now()).invoke(this::announceChanges)
                : writeAsOne(direction, clicks));
    }

    private Uni<List<ClickOutcome>> writeAsOne(Direction direction, List<Like.Key> clicks) {
        String[] items = new String[clicks.size()];
        String[] users = new String[clicks.size()];
        for (int i = 0; i < items.length; i++) {
            items[i] = clicks.get(i).itemId();
            users[i] = clicks.get(i).userId();
        }
        Tuple clicked = limits.enabled() ? Tuple.of(items, users, now(), limits.perItem(), limits.perUser())
                : direction.likes() ? Tuple.of(items, users, now()) : Tuple.of(items, users);
        ClickStatement statement = new ClickStatement(direction, limits.enabled() ? Limits.ENFORCED : Limits.OFF,
                outbox.enabled() ? Events.RECORDED : Events.OFF);
        return deadline.bound(Writes.execute(pool, statement.sql(), clicked))
                .map(rows -> answers(direction, clicks, rows))
                .invoke(this::announceChanges);
    }

    /** The items whose count the statement changed, for the live streams (see {@link CountAnnouncer}). */
    private void announceChanges(List<ClickOutcome> outcomes) {
        Set<String> changed = new LinkedHashSet<>();
        for (ClickOutcome outcome : outcomes) {
            if (outcome instanceof ClickOutcome.Answered answered && answered.change().changed()) {
                changed.add(answered.change().itemId());
            }
        }
        announcer.changed(changed);
    }


    /** The time a like is dated with, to the microsecond that PostgreSQL keeps. */
    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * The statement moved each item's count by n at once, to C. Its n changing clicks are answered
     * as if applied one after another in the order asked: C-n+1, ..., C for likes, C+n-1, ..., C for
     * unlikes, so every answer is a count the item really passed through and no two are the same.
     */
    static List<ClickOutcome> answers(Direction direction, List<Like.Key> clicks, RowSet<Row> rows) {
        AnswerColumns at = AnswerColumns.of(rows);
        List<Row> byClick = new ArrayList<>(clicks.size());
        Map<String, Integer> changing = new HashMap<>();
        for (Row row : rows) {
            if (row.getBoolean(at.changed())) {
                changing.merge(clicks.get(byClick.size()).itemId(), 1, Integer::sum);
            }
            byClick.add(row);
        }
        Map<String, Integer> answered = new HashMap<>();
        List<ClickOutcome> answers = new ArrayList<>(clicks.size());
        for (int i = 0; i < clicks.size(); i++) {
            Like.Key click = clicks.get(i);
            Row row = byClick.get(i);
            Integer wait = row.getInteger(at.waitSeconds());
            String barred = row.getString(at.barred());
            if (barred != null) {
                answers.add(new ClickOutcome.Barred(Barring.of(barred)));
            } else if (wait != null && wait > 0) {
                answers.add(new ClickOutcome.Limited(wait));
            } else if (row.getBoolean(at.changed())) {
                int n = changing.get(click.itemId());
                int k = answered.merge(click.itemId(), 1, Integer::sum);
                // new_count is missing only when the counter row itself is (drift; see the recount in docs/operations.md).
                Long after = row.getLong(at.newCount());
                long count = after == null ? 0L : direction.likes() ? after - n + k : after + n - k;
                answers.add(new ClickOutcome.Answered(new LikeChange(click.itemId(), click.userId(), direction.likes(), true, count)));
            } else if (row.getBoolean(at.seen()) == direction.likes()) {
                Long seen = row.getLong(at.seenCount());
                answers.add(new ClickOutcome.Answered(new LikeChange(click.itemId(), click.userId(), direction.likes(), false, seen == null ? 0L : seen)));
            } else {
                answers.add(ClickOutcome.RACED);
            }
        }
        return answers;
    }

    /** Where a click statement's answer columns are: looked up once per statement, not per row and column. */
    private record AnswerColumns(int changed, int waitSeconds, int barred, int newCount, int seen, int seenCount) {
        static AnswerColumns of(RowSet<Row> rows) {
            List<String> names = rows.columnsNames();
            return new AnswerColumns(at(names, "changed"), at(names, "wait"), at(names, "barred"), at(names, "new_count"),
                    at(names, "seen"), at(names, "seen_count"));
        }

        private static int at(List<String> names, String column) {
            int position = names.indexOf(column);
            if (position < 0) {
                throw new IllegalStateException("The click statement answered no column " + column + ": " + names);
            }
            return position;
        }
    }

    /** An item's count: a public read (see {@link ReadRoute}). */
    public Uni<Long> count(String itemId) {
        return publicCounts(List.of(itemId)).map(items -> items.get(0).likes());
    }

    public Uni<Boolean> isLiked(String itemId, String userId) {
        return Panache.withSession(() -> Like.<Like>findById(new Like.Key(itemId, userId)))
                .map(like -> like != null);
    }

    /**
     * Counts in the order asked, as a public read: from memory where this replica keeps them
     * (dev.likes.cache; what it misses read on the primary), otherwise on a standby when it is fresh
     * enough (see {@link ReadRoute}).
     */
    public Uni<List<ItemLikes>> publicCounts(List<String> itemIds) {
        if (!caches.countsKept()) {
            return citus.known(() -> publicCountsOf(itemIds, Prefer.STANDBY));
        }
        return caches.counts().counts(itemIds, missed -> citus.known(() -> publicCountsOf(missed, Prefer.PRIMARY)).map(counts -> {
            Map<String, Long> byId = new HashMap<>();
            counts.forEach(count -> byId.put(count.itemId(), count.likes()));
            return byId;
        })).map(byId -> itemIds.stream().map(id -> new ItemLikes(id, byId.getOrDefault(id, 0L), null)).toList());
    }

    private Uni<List<ItemLikes>> publicCountsOf(List<String> itemIds, Prefer prefer) {
        if (citus.active()) {
            Tuple ids = Tuple.of((Object) itemIds.toArray(new String[0]));
            return reads.read(prefer, client -> client.preparedQuery(SHARDED_PUBLIC_COUNTS).execute(ids))
                    .map(rows -> inOrderAsked(itemIds, rows, false));
        }
        Tuple asked = Tuple.of(itemIds.toArray(new String[0]), null);
        return reads.read(prefer, client -> client.preparedQuery(COUNTS).execute(asked)).map(rows -> toItemLikes(rows, false));
    }

    /**
     * Counts in the order asked, read on the primary; {@code liked} is filled in only when
     * {@code userId} is given. A user sees their own clicks at once, and the live streams read the
     * counts that the notifications they follow announce.
     */
    public Uni<List<ItemLikes>> counts(List<String> itemIds, String userId) {
        return citus.known(() -> countsOf(itemIds, userId));
    }

    private Uni<List<ItemLikes>> countsOf(List<String> itemIds, String userId) {
        if (citus.active()) {
            String[] ids = itemIds.toArray(new String[0]);
            return deadline.bound(userId == null ? pool.preparedQuery(SHARDED_PUBLIC_COUNTS).execute(Tuple.of((Object) ids))
                    : pool.preparedQuery(SHARDED_COUNTS).execute(Tuple.of(ids, userId)))
                    .map(rows -> inOrderAsked(itemIds, rows, userId != null));
        }
        return pool.preparedQuery(COUNTS).execute(Tuple.of(itemIds.toArray(new String[0]), userId))
                .map(rows -> toItemLikes(rows, userId != null));
    }

    /** The counters Citus answered, in the order asked; 0 (and not liked) for an item without one. */
    private static List<ItemLikes> inOrderAsked(List<String> itemIds, RowSet<Row> rows, boolean withLiked) {
        Map<String, Row> byId = new HashMap<>();
        rows.forEach(row -> byId.put(row.getString("item_id"), row));
        List<ItemLikes> items = new ArrayList<>(itemIds.size());
        for (String itemId : itemIds) {
            Row row = byId.get(itemId);
            items.add(new ItemLikes(itemId, row == null ? 0L : row.getLong("likes"),
                    withLiked ? row != null && row.getBoolean("liked") : null));
        }
        return items;
    }

    private static List<ItemLikes> toItemLikes(RowSet<Row> rows, boolean withLiked) {
        List<ItemLikes> items = new ArrayList<>(rows.size());
        for (Row row : rows) {
            items.add(new ItemLikes(row.getString("item_id"), row.getLong("likes"),
                    withLiked ? row.getBoolean("liked") : null));
        }
        return items;
    }

}
