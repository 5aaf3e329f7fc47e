package dev.likes.counting;

/**
 * The parts of a write statement that move like rows and, in that same statement, their items'
 * counts: the all-time count and the trending-window counts (see V2__trending_windows.sql), by the
 * number of rows really added or removed. The database does the arithmetic ({@code likes + n}), so
 * concurrent statements can neither lose nor double a count. Clicks use {@link #adding} and
 * {@link #removing} (dev.likes.likes.ClickStatement); erasure, removal, suspension and their undoing
 * use {@link #removing} and {@link #restoring} (dev.likes.lifecycle). Each part follows a relation
 * that names the rows to move and defines the same two relations for the parts after it:
 * {@value #CHANGED} (item_id, user_id, and for removals and restores created_at: the rows really
 * moved) and {@value #COUNTED} (item_id, likes: each moved item's count after the statement).
 *
 * <p>Each also moves the item's hot score (V7__hot_ranking.sql) by the terms of the rows it moved, in
 * the counter's own frame: a new counter takes the newest frame (like_hot), an existing one keeps
 * its own ({@link #FRAME}), and a removal reads it from the counter it has locked.
 */
public final class CountMoves {

    /** The relation every part defines: the like rows it really added or removed. */
    public static final String CHANGED = "changed";

    /** The relation every part defines: each moved item's all-time count after the statement. */
    public static final String COUNTED = "counted";

    /**
     * A like row dated {@code $3} for each click taken from the relation {@code %s} names, and the same
     * number of likes added to the item's bucket for that minute, its all-time count and the counts of
     * the windows that still count the bucket (all of them, for the current minute). Like rows, then
     * buckets, then counters are taken in key order, here, in {@link #REMOVING} and in the aging job
     * (and users' limit rows before them all), so that those statements cannot deadlock on them.
     * {@code levelled} puts each item's gained likes beside its bucket's level by stacking the two
     * relations and grouping by item, not by joining them (see {@link #REMOVING}: a join of two of a
     * statement's relations may be a nested loop, quadratic in the batch).
     */
    private static final String ADDING = """
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
            ), levelled AS (
                SELECT item_id, max(n) AS n, max(counted_in) AS counted_in
                FROM (SELECT item_id, n, NULL::smallint AS counted_in FROM gained
                      UNION ALL
                      SELECT item_id, NULL::bigint, counted_in FROM bucketed) gained_and_bucketed
                GROUP BY item_id
            ), counted AS (
                INSERT INTO like_counts AS c (item_id, likes, likes_hour, likes_day, likes_week, hot, hot_base, hot_half_life)
                SELECT g.item_id, g.n,
                       CASE WHEN g.counted_in >= 3 THEN g.n ELSE 0 END,
                       CASE WHEN g.counted_in >= 2 THEN g.n ELSE 0 END,
                       g.n, g.n * likes_hot_term($3::timestamptz, f.base, f.half_life), f.base, f.half_life
                FROM levelled g CROSS JOIN %3$s f
                ORDER BY g.item_id
                ON CONFLICT (item_id) DO UPDATE SET likes = c.likes + excluded.likes,
                    likes_hour = c.likes_hour + excluded.likes_hour,
                    likes_day = c.likes_day + excluded.likes_day,
                    likes_week = c.likes_week + excluded.likes_week,
                    hot = c.hot + excluded.likes * likes_hot_term($3::timestamptz, %2$s, c.hot_half_life),
                    hot_base = %2$s
                RETURNING c.item_id, c.likes
            )
            """;

    /**
     * The like rows that the relation {@code %s} names go; their buckets, then their counters, are
     * locked in key order and lose them. A like whose minute has left every window (its bucket is gone)
     * leaves only the all-time count. A counter's hot score loses the rows' terms in the frame the
     * locked counter has then. A count that has drifted below its rows (only a fault or a hand edit
     * does that) stops at 0 rather than fail the statement, and with it every other click of the
     * batch; a recount fixes the all-time count.
     *
     * <p>No two of these relations are joined to each other: each one that needs another's figures
     * gets them carried along ({@code held} the minute's count, {@code unbucketed} returns it) or
     * gathered with them ({@code gone}: the rows and the buckets stacked and grouped by item), and
     * only tables are joined, by their keys. The planner cannot know how many rows a relation of a
     * statement will hold and guesses few, so a join of two of them was planned as a nested loop of
     * one over the other: quadratic in the batch's items. The counters' update joined its locked
     * counters to their hot terms so, and erasing a user's 500 likes probed the counters 250,000
     * times (1.1 s a step, src/bench/main/lifecycle.sh; CountMovesPlanTest).
     */
    private static final String REMOVING = """
            , changed AS (
                DELETE FROM likes l USING %s a
                WHERE l.item_id = a.item_id AND l.user_id = a.user_id
                RETURNING l.item_id, l.user_id, l.created_at
            ), lost AS (
                SELECT item_id, date_trunc('minute', created_at) AS minute, count(*) AS n
                FROM changed GROUP BY item_id, minute
            ), held AS (
                SELECT b.item_id, b.minute, lost.n FROM like_buckets b JOIN lost USING (item_id, minute)
                ORDER BY b.item_id, b.minute
                FOR UPDATE OF b
            ), unbucketed AS (
                UPDATE like_buckets AS b SET likes = greatest(b.likes - h.n, 0)
                FROM held h
                WHERE b.item_id = h.item_id AND b.minute = h.minute
                RETURNING b.item_id, b.counted_in, h.n
            ), gone AS (
                SELECT item_id, sum(n)::bigint AS n, sum(hour)::bigint AS hour, sum(day)::bigint AS day,
                       sum(week)::bigint AS week, array_agg(created_at) FILTER (WHERE created_at IS NOT NULL) AS times
                FROM (SELECT item_id, 1 AS n, 0 AS hour, 0 AS day, 0 AS week, created_at FROM changed
                      UNION ALL
                      SELECT item_id, 0, CASE WHEN counted_in >= 3 THEN n ELSE 0 END, CASE WHEN counted_in >= 2 THEN n ELSE 0 END,
                             CASE WHEN counted_in >= 1 THEN n ELSE 0 END, NULL FROM unbucketed) moved
                GROUP BY item_id
            ), locked AS (
                SELECT c.item_id, gone.n, gone.hour, gone.day, gone.week, gone.times
                FROM like_counts c JOIN gone USING (item_id)
                ORDER BY c.item_id
                FOR UPDATE OF c
            ), counted AS (
                UPDATE like_counts AS c SET likes = greatest(c.likes - k.n, 0),
                    likes_hour = greatest(c.likes_hour - k.hour, 0),
                    likes_day = greatest(c.likes_day - k.day, 0),
                    likes_week = greatest(c.likes_week - k.week, 0),
                    hot = greatest(c.hot - (SELECT sum(likes_hot_term(t, c.hot_base, c.hot_half_life)) FROM unnest(k.times) t), 0)
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
     * that is there already (liked again meanwhile) is not counted twice. Each minute's restored likes
     * and its bucket's level are stacked and grouped, not joined (see {@link #REMOVING}).
     */
    private static final String RESTORING = """
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
                SELECT ch.item_id, m.minute, count(*) AS n, sum(likes_hot_term(ch.created_at, f.base, f.half_life)) AS hot,
                       CASE WHEN m.minute >= s.hour THEN 3 WHEN m.minute >= s.day THEN 2 WHEN m.minute >= s.week THEN 1 END AS level
                FROM changed ch CROSS JOIN since s CROSS JOIN %4$s f, LATERAL (SELECT date_trunc('minute', ch.created_at) AS minute) m
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
                       coalesce(sum(n) FILTER (WHERE counted_in >= 1), 0)::bigint AS week,
                       sum(hot) AS hot
                FROM (SELECT item_id, minute, max(n) AS n, max(hot) AS hot, max(counted_in) AS counted_in
                      FROM (SELECT item_id, minute, n, hot, NULL::smallint AS counted_in FROM gained_minutes
                            UNION ALL
                            SELECT item_id, minute, NULL::bigint, NULL::numeric, counted_in FROM bucketed) gained_and_bucketed
                      GROUP BY item_id, minute) levelled
                GROUP BY item_id
            ), counted AS (
                INSERT INTO like_counts AS c (item_id, likes, likes_hour, likes_day, likes_week, hot, hot_base, hot_half_life)
                SELECT g.item_id, g.n, g.hour, g.day, g.week, g.hot, f.base, f.half_life
                FROM gained g CROSS JOIN %4$s f ORDER BY g.item_id
                ON CONFLICT (item_id) DO UPDATE SET likes = c.likes + excluded.likes,
                    likes_hour = c.likes_hour + excluded.likes_hour,
                    likes_day = c.likes_day + excluded.likes_day,
                    likes_week = c.likes_week + excluded.likes_week,
                    -- The terms were summed in the newest frame (gained_minutes); a counter in another frame (it has a
                    -- score, or the half-life changed) sums its own, a rare case.
                    hot = c.hot + CASE WHEN %3$s = excluded.hot_base AND c.hot_half_life = excluded.hot_half_life
                        THEN excluded.hot
                        ELSE (SELECT sum(likes_hot_term(ch.created_at, %3$s, c.hot_half_life)) FROM changed ch WHERE ch.item_id = c.item_id)
                        END,
                    hot_base = %3$s
                RETURNING c.item_id, c.likes
            )
            """;

    /**
     * The frame in which an existing counter {@code c} counts the terms of likes added to it: its
     * own, or the newest ({@code excluded}'s) when its score is 0 (likes_hot_frame).
     */
    private static final String FRAME = "likes_hot_frame(c.hot, c.hot_base, c.hot_half_life, excluded.hot_base, excluded.hot_half_life)";

    /**
     * The newest frame (like_hot's one row: base, half_life), to join as {@code f}. Said as a subquery
     * with LIMIT 1 because the planner cannot know the table has one row: like_hot is never analyzed
     * (autovacuum analyzes after 50 changes; it has one row and few updates), so it is estimated at
     * about 2,000 rows, and a click statement joined to it was planned for 2,000 counters (a sort and
     * merge join, then a hashed scan of every like of the item to answer): a hot item's click cost
     * PostgreSQL twice the CPU (src/bench/cpu/run.sh). LIMIT 1 is the truth and needs no statistics.
     */
    public static final String NEWEST_FRAME = "(SELECT base, half_life FROM like_hot LIMIT 1)";

    private CountMoves() {
    }

    /**
     * Adds a like row dated {@code $3} for each (item_id, user_id) that {@code relation} names (see
     * {@link #ADDING}): the likes of clicks.
     */
    public static String adding(String relation) {
        return ADDING.formatted(relation, FRAME, NEWEST_FRAME);
    }

    /**
     * Removes the like rows that {@code relation} names (item_id, user_id) and moves their counts (see
     * {@link #REMOVING}): unlikes, erasure, suspension and removal.
     */
    public static String removing(String relation) {
        return REMOVING.formatted(relation);
    }

    /**
     * Puts back the like rows that {@code relation} names (item_id, user_id, created_at), dated as they
     * were, and moves their counts (see {@link #RESTORING}); {@code now} is the parameter that holds the
     * current time.
     */
    public static String restoring(String relation, String now) {
        return RESTORING.formatted(relation, now, FRAME, NEWEST_FRAME);
    }
}
