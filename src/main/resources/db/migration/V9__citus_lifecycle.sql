-- Erasure, removal, suspension and reinstatement on Citus (dev.likes.lifecycle.ShardGroupSteps,
-- docs/citus.md). A job's batch is found by a bounded read (a user's likes are on every shard; an
-- item's in one shard group), then moved by one call of likes_lifecycle_group per shard group, which
-- Citus sends whole to the worker that holds the group: item by item in key order (the order of
-- clicks, aging and the recount), the like rows, then the buckets, then the counter, as
-- likes_click_group moves them, by the rows really moved. On plain PostgreSQL the functions run as
-- ordinary PL/pgSQL over any items (the tests compare them with the single-node statements there).

-- The sum of the hot terms of likes dated p_times, in the frame (p_base, p_half_life): the sum that
-- V7's statements add or take away, one term per like.
CREATE FUNCTION likes_hot_sum(p_times timestamptz[], p_base bigint, p_half_life integer) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(sum(likes_hot_term(t, p_base, p_half_life)), 0) FROM unnest(p_times) t
$$;

-- The like rows of p_item dated p_times are gone: their buckets (those still there, minute by minute
-- in order), then the counter, lose them, as an unlike's statement does (CountMoves.REMOVING): a like
-- whose minute left every window leaves only the all-time count, a drifted count stops at 0, and the
-- hot score loses exactly the rows' terms in the counter's frame. Answers the count after.
CREATE FUNCTION likes_take(p_item varchar, p_times timestamptz[]) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    lost record;
    level smallint;
    hour bigint := 0;
    day bigint := 0;
    week bigint := 0;
    total bigint;
BEGIN
    FOR lost IN SELECT date_trunc('minute', t) AS minute, count(*) AS n FROM unnest(p_times) t GROUP BY 1 ORDER BY 1 LOOP
        UPDATE like_buckets AS b SET likes = greatest(b.likes - lost.n, 0)
        WHERE b.item_id = p_item AND b.minute = lost.minute
        RETURNING b.counted_in INTO level;
        IF FOUND THEN
            week := week + lost.n;
            day := day + CASE WHEN level >= 2 THEN lost.n ELSE 0 END;
            hour := hour + CASE WHEN level >= 3 THEN lost.n ELSE 0 END;
        END IF;
    END LOOP;
    UPDATE like_counts AS c SET likes = greatest(c.likes - cardinality(p_times), 0),
        likes_hour = greatest(c.likes_hour - hour, 0),
        likes_day = greatest(c.likes_day - day, 0),
        likes_week = greatest(c.likes_week - week, 0),
        hot = greatest(c.hot - likes_hot_sum(p_times, c.hot_base, c.hot_half_life), 0)
    WHERE c.item_id = p_item
    RETURNING c.likes INTO total;
    RETURN total;
END
$$;

-- Like rows of p_item dated p_times are back: each minute's bucket gains them at the level it has, or,
-- when it is gone, at the level its minute has by the windows' since and the clock p_at (none: only
-- the all-time count), then the counter, with the rows' hot terms in its own frame or (a new counter,
-- or one at 0) the newest; as CountMoves.RESTORING does. Answers the count after.
CREATE FUNCTION likes_give(p_item varchar, p_times timestamptz[], p_at timestamptz) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    since record;
    frame record;
    gained record;
    wanted smallint;
    level smallint;
    hour bigint := 0;
    day bigint := 0;
    week bigint := 0;
    total bigint;
BEGIN
    SELECT greatest(max(w.since) FILTER (WHERE w.name = 'hour'), date_trunc('minute', p_at) - interval '1 hour') AS hour,
           greatest(max(w.since) FILTER (WHERE w.name = 'day'), date_trunc('minute', p_at) - interval '24 hours') AS day,
           greatest(max(w.since) FILTER (WHERE w.name = 'week'), date_trunc('minute', p_at) - interval '7 days') AS week
        INTO since FROM like_windows w;
    SELECT base, half_life INTO frame FROM like_hot;
    FOR gained IN SELECT date_trunc('minute', t) AS minute, count(*) AS n FROM unnest(p_times) t GROUP BY 1 ORDER BY 1 LOOP
        wanted := CASE WHEN gained.minute >= since.hour THEN 3 WHEN gained.minute >= since.day THEN 2
                       WHEN gained.minute >= since.week THEN 1 END;
        IF wanted IS NOT NULL THEN
            INSERT INTO like_buckets AS b (item_id, minute, likes, counted_in) VALUES (p_item, gained.minute, gained.n, wanted)
            ON CONFLICT (item_id, minute) DO UPDATE SET likes = b.likes + excluded.likes
            RETURNING b.counted_in INTO level;
            week := week + gained.n;
            day := day + CASE WHEN level >= 2 THEN gained.n ELSE 0 END;
            hour := hour + CASE WHEN level >= 3 THEN gained.n ELSE 0 END;
        END IF;
    END LOOP;
    INSERT INTO like_counts AS c (item_id, likes, likes_hour, likes_day, likes_week, hot, hot_base, hot_half_life)
    VALUES (p_item, cardinality(p_times), hour, day, week, likes_hot_sum(p_times, frame.base, frame.half_life), frame.base, frame.half_life)
    ON CONFLICT (item_id) DO UPDATE SET likes = c.likes + excluded.likes,
        likes_hour = c.likes_hour + excluded.likes_hour,
        likes_day = c.likes_day + excluded.likes_day,
        likes_week = c.likes_week + excluded.likes_week,
        hot = c.hot + likes_hot_sum(p_times,
            likes_hot_frame(c.hot, c.hot_base, c.hot_half_life, excluded.hot_base, excluded.hot_half_life), c.hot_half_life),
        hot_base = likes_hot_frame(c.hot, c.hot_base, c.hot_half_life, excluded.hot_base, excluded.hot_half_life)
    RETURNING c.likes INTO total;
    RETURN total;
END
$$;

-- One batch of a lifecycle job in one shard group (p_key's): for each of p_items, in key order, the
-- subject's likes that the job's kind moves (dev.likes.lifecycle.JobKind, and LifecycleStore's
-- single-node batches, which this follows):
--   erase-user      p_subject's like of the item goes;
--   suspend-user    the same, set aside in suspended_likes, only while p_subject is suspended;
--   reinstate-user  p_subject's set-aside like of the item comes back (with its date) while p_subject
--                   is not suspended, unless the item is removed (then it only leaves suspended_likes);
--   remove-item     up to p_limit of the item's likes (p_items is the item alone), in user order.
-- Answers each item and the like rows moved (0 when a click got there first). Safe to repeat.
CREATE FUNCTION likes_lifecycle_group(p_key varchar, p_kind text, p_subject varchar, p_items varchar[], p_limit integer,
                                      p_at timestamptz)
RETURNS TABLE (item_id varchar, moved bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    sharded constant boolean := to_regproc('get_shard_id_for_distribution_column') IS NOT NULL;
    home bigint;
    item varchar;
    suspended boolean;
    gone_item boolean;
    times timestamptz[];
BEGIN
    IF p_kind NOT IN ('erase-user', 'suspend-user', 'reinstate-user', 'remove-item') THEN
        RAISE EXCEPTION 'unknown lifecycle job kind %', p_kind;
    END IF;
    IF sharded THEN
        home := get_shard_id_for_distribution_column('likes', p_key);
    END IF;
    SELECT EXISTS (SELECT 1 FROM suspended_users s WHERE s.user_id = p_subject) INTO suspended;
    FOR item IN SELECT DISTINCT x COLLATE "C" FROM unnest(p_items) x ORDER BY 1 LOOP
        IF sharded THEN
            IF get_shard_id_for_distribution_column('likes', item) <> home THEN
                RAISE EXCEPTION 'item % is not in the shard group of %', item, p_key USING ERRCODE = 'LKS01';
            END IF;
        END IF;
        times := '{}';
        IF p_kind = 'erase-user' OR (p_kind = 'suspend-user' AND suspended) THEN
            WITH gone AS (
                DELETE FROM likes l WHERE l.item_id = item AND l.user_id = p_subject RETURNING l.created_at
            )
            SELECT coalesce(array_agg(created_at), '{}') INTO times FROM gone;
            IF p_kind = 'suspend-user' AND cardinality(times) > 0 THEN
                INSERT INTO suspended_likes AS s (user_id, item_id, created_at) VALUES (p_subject, item, times[1])
                ON CONFLICT (user_id, item_id) DO UPDATE SET created_at = excluded.created_at;
            END IF;
        ELSIF p_kind = 'remove-item' AND item = p_subject THEN
            WITH gone AS (
                DELETE FROM likes l WHERE l.item_id = item AND l.user_id IN (
                    SELECT b.user_id FROM likes b WHERE b.item_id = item ORDER BY b.user_id LIMIT p_limit)
                RETURNING l.created_at
            )
            SELECT coalesce(array_agg(created_at), '{}') INTO times FROM gone;
        ELSIF p_kind = 'reinstate-user' AND NOT suspended THEN
            SELECT EXISTS (SELECT 1 FROM removed_items r WHERE r.item_id = item) INTO gone_item;
            WITH back AS (
                DELETE FROM suspended_likes s WHERE s.user_id = p_subject AND s.item_id = item RETURNING s.created_at
            ), kept AS (
                INSERT INTO likes (item_id, user_id, created_at)
                SELECT item, p_subject, b.created_at FROM back b WHERE NOT gone_item
                ON CONFLICT (item_id, user_id) DO NOTHING
                RETURNING created_at
            )
            SELECT coalesce(array_agg(created_at), '{}') INTO times FROM kept;
        END IF;
        IF cardinality(times) > 0 THEN
            IF p_kind = 'reinstate-user' THEN
                PERFORM likes_give(item, times, p_at);
            ELSE
                PERFORM likes_take(item, times);
            END IF;
        END IF;
        item_id := item;
        moved := cardinality(times);
        RETURN NEXT;
    END LOOP;
END
$$;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        PERFORM set_config('citus.multi_shard_modify_mode', 'sequential', true);
        PERFORM create_distributed_function('likes_lifecycle_group(varchar, text, varchar, varchar[], integer, timestamptz)',
                                            'p_key', colocate_with := 'likes');
    END IF;
END
$$;
