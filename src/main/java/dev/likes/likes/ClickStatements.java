package dev.likes.likes;

import dev.likes.events.EventType;
import dev.likes.events.OutboxStore;

/**
 * The SQL of the clicks: one statement writes a batch of likes (or of unlikes) and moves each item's
 * counts in that same statement, by the number of rows really added or removed: its all-time count
 * and its trending-window counts (see V2__trending_windows.sql). The database does the arithmetic
 * ({@code likes + n}), so concurrent clicks can neither lose nor double a count. With toggle limits on,
 * the statement first decides which clicks the limits allow ({@link LimitStore#DECIDED}) and writes
 * only those. Parameters: $1 item ids, $2 user ids, $3 the clicks' time, and with limits $4 and $5,
 * the changes allowed per item and per user per minute. The benchmark's pgbench scripts send these
 * statements verbatim (a test keeps them equal).
 */
public final class ClickStatements {

    /**
     * The clicks of one statement, in order: $1 item ids, $2 user ids; {@code barred} says why a click
     * may not change anything (its user is suspended, its item removed: see V4__lifecycle.sql), and
     * {@code allowed} are the others. Two probes of small tables' keys a click.
     */
    private static final String ASKED = """
            WITH asked AS (
                SELECT item_id, user_id, position,
                       CASE WHEN EXISTS (SELECT 1 FROM suspended_users s WHERE s.user_id = a.user_id) THEN 'suspended'
                            WHEN EXISTS (SELECT 1 FROM removed_items r WHERE r.item_id = a.item_id) THEN 'removed'
                       END AS barred
                FROM unnest($1::varchar[], $2::varchar[]) WITH ORDINALITY AS a(item_id, user_id, position)
            ), allowed AS (
                SELECT item_id, user_id, position FROM asked WHERE barred IS NULL
            )""";

    /**
     * What both write statements answer for each click, in order: whether its row was added or
     * removed, its item's count after the statement, and, for a click that changed nothing, whether
     * the statement's snapshot held the like and the count in that snapshot, and the seconds to wait
     * when the toggle limits refused it. The CASEs keep those lookups off every click that did change
     * something.
     */
    private static final String ANSWER = """
            SELECT ch.user_id IS NOT NULL AS changed, co.likes AS new_count, a.barred,
                   CASE WHEN ch.user_id IS NULL
                        THEN EXISTS (SELECT 1 FROM likes l WHERE l.item_id = a.item_id AND l.user_id = a.user_id) END AS seen,
                   CASE WHEN ch.user_id IS NULL
                        THEN (SELECT s.likes FROM like_counts s WHERE s.item_id = a.item_id) END AS seen_count,
                   %s AS wait
            FROM asked a
            LEFT JOIN changed ch ON ch.item_id = a.item_id AND ch.user_id = a.user_id
            LEFT JOIN counted co ON co.item_id = a.item_id
            ORDER BY a.position
            """;

    /**
     * A like row dated {@code $3} for each click taken from the relation {@code %s} names, and the same
     * number of likes added to the item's bucket for that minute, its all-time count and the counts of
     * the windows that still count the bucket (all of them, for the current minute). Like rows, then
     * buckets, then counters are taken in key order, here, in {@link #UNLIKES} and in the aging job
     * (and users' limit rows before them all), so that those statements cannot deadlock on them.
     */
    private static final String LIKES = """
            , changed AS (
                INSERT INTO likes (item_id, user_id, created_at)
                SELECT item_id, user_id, $3::timestamptz FROM %s ORDER BY item_id, user_id
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
            """;

    /**
     * The like rows that the relation {@code %s} names go; their buckets, then their counters, are locked in key order and
     * lose them. A like whose minute has left every window (its bucket is gone) leaves only the
     * all-time count. A count that has drifted below its rows (only a fault or a hand edit does that)
     * stops at 0 rather than fail the statement, and with it every other click of the batch; a
     * recount fixes the all-time count.
     */
    private static final String UNLIKES = """
            , changed AS (
                DELETE FROM likes l USING %s a
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
            """;

    /**
     * The like rows that the relation {@code %1$s} names (item_id, user_id, created_at) come back with
     * their own time: into their minute's bucket if a window still counts that minute (the bucket's own
     * level if it exists, else the level its minute has by the windows' since or by the clock {@code %2$s},
     * whichever is later, as the aging job would leave it), into the all-time count in any case. A row
     * that is there already (liked again meanwhile) is not counted twice.
     */
    private static final String RESTORES = """
            , changed AS (
                INSERT INTO likes (item_id, user_id, created_at)
                SELECT item_id, user_id, created_at FROM %1$s ORDER BY item_id, user_id
                ON CONFLICT (item_id, user_id) DO NOTHING
                RETURNING item_id, user_id, created_at
            ), since AS (
                SELECT greatest(max(since) FILTER (WHERE name = 'hour'), date_trunc('minute', %2$s::timestamptz) - interval '1 hour') AS hour,
                       greatest(max(since) FILTER (WHERE name = 'day'), date_trunc('minute', %2$s::timestamptz) - interval '24 hours') AS day,
                       greatest(max(since) FILTER (WHERE name = 'week'), date_trunc('minute', %2$s::timestamptz) - interval '7 days') AS week
                FROM like_windows
            ), gained_minutes AS (
                SELECT ch.item_id, m.minute, count(*) AS n,
                       CASE WHEN m.minute >= s.hour THEN 3 WHEN m.minute >= s.day THEN 2 WHEN m.minute >= s.week THEN 1 END AS level
                FROM changed ch CROSS JOIN since s, LATERAL (SELECT date_trunc('minute', ch.created_at) AS minute) m
                GROUP BY ch.item_id, m.minute, s.hour, s.day, s.week
            ), bucketed AS (
                INSERT INTO like_buckets AS b (item_id, minute, likes, counted_in)
                SELECT item_id, minute, n, level FROM gained_minutes WHERE level IS NOT NULL ORDER BY item_id, minute
                ON CONFLICT (item_id, minute) DO UPDATE SET likes = b.likes + excluded.likes
                RETURNING b.item_id, b.minute, b.counted_in
            ), gained AS (
                SELECT item_id, sum(n)::bigint AS n,
                       coalesce(sum(n) FILTER (WHERE counted_in >= 3), 0)::bigint AS hour,
                       coalesce(sum(n) FILTER (WHERE counted_in >= 2), 0)::bigint AS day,
                       coalesce(sum(n) FILTER (WHERE counted_in >= 1), 0)::bigint AS week
                FROM gained_minutes LEFT JOIN bucketed USING (item_id, minute)
                GROUP BY item_id
            ), counted AS (
                INSERT INTO like_counts AS c (item_id, likes, likes_hour, likes_day, likes_week)
                SELECT item_id, n, hour, day, week FROM gained ORDER BY item_id
                ON CONFLICT (item_id) DO UPDATE SET likes = c.likes + excluded.likes,
                    likes_hour = c.likes_hour + excluded.likes_hour,
                    likes_day = c.likes_day + excluded.likes_day,
                    likes_week = c.likes_week + excluded.likes_week
                RETURNING c.item_id, c.likes
            )
            """;

    /** Likes, every click written. */
    public static final String LIKE = statement(true, false, false);
    /** Unlikes, every click written. */
    public static final String UNLIKE = statement(false, false, false);
    /** Likes within the toggle limits. */
    public static final String LIKE_LIMITED = statement(true, true, false);
    /** Unlikes within the toggle limits. */
    public static final String UNLIKE_LIMITED = statement(false, true, false);

    /**
     * On Citus, the clicks of one shard group, as one call that Citus sends whole to that group's
     * worker (V6__citus.sql): $1 an item of the group, $2 true for likes, $3 item ids, $4 user ids,
     * $5 the clicks' time. It answers as the statements above do, without toggle limits or events.
     */
    static final String BY_SHARD_GROUP = "SELECT * FROM likes_click_group($1, $2, $3, $4, $5)";

    /** Every statement, by {@link #index}: likes or unlikes, with limits or not, with events or not. */
    private static final String[] STATEMENTS = new String[8];

    static {
        for (int i = 0; i < STATEMENTS.length; i++) {
            STATEMENTS[i] = statement((i & 4) != 0, (i & 2) != 0, (i & 1) != 0);
        }
    }

    private ClickStatements() {
    }

    /**
     * The part of a statement that removes the like rows a relation before it names (item_id, user_id)
     * and moves their counts: the unlikes' own, for erasure, suspension and removal. Defines
     * {@code changed} (the rows gone, with their time) and {@code counted} (their items' new counts).
     */
    public static String removing(String relation) {
        return UNLIKES.formatted(relation);
    }

    /**
     * The part of a statement that puts back the like rows a relation before it names (item_id, user_id,
     * created_at), dated as they were, and moves their counts (see {@link #RESTORES}); {@code now} is the
     * parameter that holds the current time. Defines {@code changed} and {@code counted} as {@link #removing} does.
     */
    public static String restoring(String relation, String now) {
        return RESTORES.formatted(relation, now);
    }

    /** The statement of a batch of likes or unlikes; with {@code events}, it also records their events (dev.likes.events). */
    static String of(boolean like, boolean limited, boolean events) {
        return STATEMENTS[index(like, limited, events)];
    }

    private static int index(boolean like, boolean limited, boolean events) {
        return (like ? 4 : 0) | (limited ? 2 : 0) | (events ? 1 : 0);
    }

    private static String statement(boolean like, boolean limited, boolean events) {
        String clicks = limited ? "granted" : "allowed";
        return ASKED
                + (limited ? LimitStore.DECIDED.formatted(like ? "NOT" : "") : "")
                + (like ? LIKES : UNLIKES).formatted(clicks)
                + (events ? OutboxStore.recordingClicks(like ? EventType.LIKED : EventType.UNLIKED) : "")
                + ANSWER.formatted(limited ? LimitStore.WAIT : "NULL::integer");
    }
}
