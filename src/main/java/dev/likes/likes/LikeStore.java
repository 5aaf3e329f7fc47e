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

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Owns the SQL of likes and counts. Likes (or unlikes) are written by one statement for one click or
 * for many: it adds or removes the like rows under their unique key and moves each item's count in
 * that same statement, by the number of rows really added or removed: its all-time count and its
 * trending-window counts (see V2__trending_windows.sql). The database does the
 * arithmetic ({@code likes + n}), so concurrent clicks can neither lose nor double a count.
 */
@ApplicationScoped
public class LikeStore {

    private static final Logger LOG = Logger.getLogger(LikeStore.class);

    /** The clicks of one statement, in order: $1 item ids, $2 user ids. */
    private static final String ASKED = """
            WITH asked AS (
                SELECT item_id, user_id, position
                FROM unnest($1::varchar[], $2::varchar[]) WITH ORDINALITY AS a(item_id, user_id, position)
            )""";

    /**
     * What both write statements answer for each click, in order: whether its row was added or
     * removed, its item's count after the statement, and, for a click that changed nothing, whether
     * the statement's snapshot held the like and the count in that snapshot. The CASE keeps those two
     * lookups off every click that did change something.
     */
    private static final String ANSWER = """
            SELECT ch.user_id IS NOT NULL AS changed, co.likes AS new_count,
                   CASE WHEN ch.user_id IS NULL
                        THEN EXISTS (SELECT 1 FROM likes l WHERE l.item_id = a.item_id AND l.user_id = a.user_id) END AS seen,
                   CASE WHEN ch.user_id IS NULL
                        THEN (SELECT s.likes FROM like_counts s WHERE s.item_id = a.item_id) END AS seen_count
            FROM asked a
            LEFT JOIN changed ch ON ch.item_id = a.item_id AND ch.user_id = a.user_id
            LEFT JOIN counted co ON co.item_id = a.item_id
            ORDER BY a.position
            """;

    /**
     * A like row dated {@code $3}, and the same number of likes added to the item's bucket for that
     * minute, its all-time count and the counts of the windows that still count the bucket (all of them,
     * for the current minute). Buckets, then counters, are taken in key order, here, in {@link #UNLIKE}
     * and in the aging job, so that those statements cannot deadlock on them.
     */
    public static final String LIKE = ASKED + """
            , changed AS (
                INSERT INTO likes (item_id, user_id, created_at)
                SELECT item_id, user_id, $3::timestamptz FROM asked ORDER BY item_id, user_id
                ON CONFLICT (item_id, user_id) DO NOTHING
                RETURNING item_id, user_id
            ), gained AS (
                SELECT item_id, count(*) AS n FROM changed GROUP BY item_id
            ), bucketed AS (
                INSERT INTO like_buckets AS b (item_id, minute, likes)
                SELECT item_id, date_trunc('minute', $3::timestamptz), n FROM gained ORDER BY item_id
                ON CONFLICT (item_id, minute) DO UPDATE SET likes = b.likes + excluded.likes
                RETURNING b.item_id, b.counted_in
            ), counted AS (
                INSERT INTO like_counts AS c (item_id, likes, likes_hour, likes_day, likes_week)
                SELECT g.item_id, g.n,
                       CASE WHEN b.counted_in >= 3 THEN g.n ELSE 0 END,
                       CASE WHEN b.counted_in >= 2 THEN g.n ELSE 0 END,
                       g.n
                FROM gained g JOIN bucketed b USING (item_id)
                ORDER BY g.item_id
                ON CONFLICT (item_id) DO UPDATE SET likes = c.likes + excluded.likes,
                    likes_hour = c.likes_hour + excluded.likes_hour,
                    likes_day = c.likes_day + excluded.likes_day,
                    likes_week = c.likes_week + excluded.likes_week
                RETURNING c.item_id, c.likes
            )
            """ + ANSWER;

    /**
     * The like rows go; their buckets, then their counters, are locked in key order and lose them. A
     * like whose minute has left every window (its bucket is gone) leaves only the all-time count.
     * A count that has drifted below its rows (only a fault or a hand edit does that) stops at 0
     * rather than fail the statement, and with it every other click of the batch; a recount fixes
     * the all-time count.
     */
    static final String UNLIKE = ASKED + """
            , changed AS (
                DELETE FROM likes l USING asked a
                WHERE l.item_id = a.item_id AND l.user_id = a.user_id
                RETURNING l.item_id, l.user_id, l.created_at
            ), lost AS (
                SELECT item_id, date_trunc('minute', created_at) AS minute, count(*) AS n
                FROM changed GROUP BY item_id, minute
            ), held AS (
                SELECT item_id, minute FROM like_buckets
                WHERE (item_id, minute) IN (SELECT item_id, minute FROM lost)
                ORDER BY item_id, minute
                FOR UPDATE
            ), unbucketed AS (
                UPDATE like_buckets AS b SET likes = greatest(b.likes - lost.n, 0)
                FROM lost JOIN held USING (item_id, minute)
                WHERE b.item_id = lost.item_id AND b.minute = lost.minute
                RETURNING b.item_id, b.minute, b.counted_in
            ), gone AS (
                SELECT item_id, sum(n)::bigint AS n,
                       coalesce(sum(n) FILTER (WHERE counted_in >= 3), 0)::bigint AS hour,
                       coalesce(sum(n) FILTER (WHERE counted_in >= 2), 0)::bigint AS day,
                       coalesce(sum(n) FILTER (WHERE counted_in >= 1), 0)::bigint AS week
                FROM lost LEFT JOIN unbucketed USING (item_id, minute)
                GROUP BY item_id
            ), locked AS (
                SELECT c.item_id, gone.n, gone.hour, gone.day, gone.week
                FROM like_counts c JOIN gone USING (item_id)
                ORDER BY c.item_id
                FOR UPDATE OF c
            ), counted AS (
                UPDATE like_counts AS c SET likes = greatest(c.likes - k.n, 0),
                    likes_hour = greatest(c.likes_hour - k.hour, 0),
                    likes_day = greatest(c.likes_day - k.day, 0),
                    likes_week = greatest(c.likes_week - k.week, 0)
                FROM locked k
                WHERE c.item_id = k.item_id
                RETURNING c.item_id, c.likes
            )
            """ + ANSWER;

    /**
     * Which items a write changed, for the live streams of every replica (dev.likes.live.CountFeed),
     * on the channel like_counts; the streams read the counts themselves, so late or reordered
     * notifications cannot leave them on an old count. A statement of its own after the write, not
     * part of it: NOTIFY makes committing transactions wait for each other (a global lock held until
     * the commit is flushed), which would serialize every click. Committed without waiting for the
     * flush, since a lost notification only delays a live count.
     */
    public static final String NOTIFY = """
            SELECT set_config('synchronous_commit', 'off', true), count(pg_notify('like_counts', item_id))
            FROM unnest($1::varchar[]) AS item_id
            """;

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
    private final Clock clock;

    public LikeStore(Pool pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    /**
     * Likes ({@code like} true) or unlikes, as one statement, clicks on distinct (item, user) pairs.
     * Answers in the order of the clicks; an answer is null where the click raced another click of the
     * same user on the same item and must run again (see {@link #answers}).
     */
    Uni<List<LikeChange>> write(boolean like, List<Like.Key> clicks) {
        String[] items = new String[clicks.size()];
        String[] users = new String[clicks.size()];
        for (int i = 0; i < items.length; i++) {
            items[i] = clicks.get(i).itemId();
            users[i] = clicks.get(i).userId();
        }
        Tuple clicked = like ? Tuple.of(items, users, now()) : Tuple.of(items, users);
        return pool.preparedQuery(like ? LIKE : UNLIKE)
                .execute(clicked)
                .map(rows -> answers(like, clicks, rows))
                .invoke(this::announce);
    }

    /** The items whose count the statement changed, notified without waiting (see {@link #NOTIFY}). */
    private void announce(List<LikeChange> answers) {
        Set<String> changed = new LinkedHashSet<>();
        for (LikeChange answer : answers) {
            if (answer != null && answer.changed()) {
                changed.add(answer.itemId());
            }
        }
        if (!changed.isEmpty()) {
            pool.preparedQuery(NOTIFY).execute(Tuple.of(changed.toArray(new String[0])))
                    .subscribe().with(done -> { }, failure -> LOG.debugf("Live counts not announced: %s", failure));
        }
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
    private static List<LikeChange> answers(boolean like, List<Like.Key> clicks, RowSet<Row> rows) {
        List<Row> byClick = new ArrayList<>(clicks.size());
        Map<String, Integer> changing = new HashMap<>();
        for (Row row : rows) {
            if (row.getBoolean("changed")) {
                changing.merge(clicks.get(byClick.size()).itemId(), 1, Integer::sum);
            }
            byClick.add(row);
        }
        Map<String, Integer> answered = new HashMap<>();
        List<LikeChange> answers = new ArrayList<>(clicks.size());
        for (int i = 0; i < clicks.size(); i++) {
            Like.Key click = clicks.get(i);
            Row row = byClick.get(i);
            if (row.getBoolean("changed")) {
                int n = changing.get(click.itemId());
                int k = answered.merge(click.itemId(), 1, Integer::sum);
                // new_count is missing only when the counter row itself is (drift; see the README's recount).
                Long after = row.getLong("new_count");
                long count = after == null ? 0L : like ? after - n + k : after + n - k;
                answers.add(new LikeChange(click.itemId(), click.userId(), like, true, count));
            } else if (row.getBoolean("seen") == like) {
                Long seen = row.getLong("seen_count");
                answers.add(new LikeChange(click.itemId(), click.userId(), like, false, seen == null ? 0L : seen));
            } else {
                // Another click of the same user on the same item committed after this statement's
                // snapshot was taken: this one waited for it and had nothing left to do, but its
                // snapshot predates that click. It runs again on a fresh snapshot rather than mix two moments.
                answers.add(null);
            }
        }
        return answers;
    }

    public Uni<Long> count(String itemId) {
        return Panache.withSession(() -> LikeCount.<LikeCount>findById(itemId))
                .map(count -> count == null ? 0L : count.likes);
    }

    public Uni<Boolean> isLiked(String itemId, String userId) {
        return Panache.withSession(() -> Like.<Like>findById(new Like.Key(itemId, userId)))
                .map(like -> like != null);
    }

    /** Counts in the order asked; {@code liked} is filled in only when {@code userId} is given. */
    public Uni<List<ItemLikes>> counts(List<String> itemIds, String userId) {
        return pool.preparedQuery(COUNTS)
                .execute(Tuple.of(itemIds.toArray(new String[0]), userId))
                .map(rows -> toItemLikes(rows, userId != null));
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
