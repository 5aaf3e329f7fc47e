-- The "hot" ranking (dev.likes.ranking.HotRebase, docs/rankings.md): each standing like weighs
-- 2^(-age / half-life), so an item's decayed score at time t is
--     Σ 2^((created_at - t) / H) = hot · 2^((hot_base - t) / H),  with  hot = Σ 2^((created_at - hot_base) / H).
-- hot is kept in like_counts and moved by + and - in the statement that adds or removes the like row,
-- like every other count: a like adds its own term, an unlike takes exactly that term away. Every
-- item's decayed score shrinks by the same factor as time passes, so the order of hot (in one frame)
-- is the order of the decayed scores at any moment: the ranking never jumps.
--
-- A term is likes_hot_term: 2^x in float8, taken to numeric at its 15 significant digits and rounded
-- to 6 decimals, so a term is one deterministic numeric and sums of terms are exact: a recount of
-- the rows gives the stored hot to the last digit. Terms grow as time leaves the frame behind, so
-- the re-base job moves every item with a hot score to a newer frame (hot_base, in epoch seconds)
-- by a recount of its rows under its counter's lock; each item carries its own frame (base and
-- half-life), so the walk needs no pause of the clicks. Likes more than about 20 half-lives older
-- than the frame round to 0: an item whose likes are all that old has hot 0 and leaves the ranking.
--
-- The ranking orders by likes_hot_rank, log2 of the decayed score plus a constant common to all
-- items (hot_base / H + log2(hot)), so items in different frames compare too while the walk runs.

CREATE TABLE like_hot (
    only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    -- The frame new counters take (epoch seconds) and the half-life (seconds).
    base      bigint NOT NULL,
    half_life integer NOT NULL CHECK (half_life > 0),
    -- False from a move of the frame (or of the half-life) until the walk has moved every item.
    settled   boolean NOT NULL DEFAULT true
);

INSERT INTO like_hot (base, half_life) VALUES (floor(extract(epoch FROM now()) / 60)::bigint * 60, 21600);

CREATE FUNCTION likes_hot_term(p_at timestamptz, p_base bigint, p_half_life integer) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT round(power(2::float8, greatest(least((extract(epoch FROM p_at)::float8 - p_base) / p_half_life, 1000), -40))::numeric, 6)
$$;

-- The frame an item's next added likes are counted in: its own, or the newest one when its score is 0
-- and the half-life has not changed (then every row it still has weighs 0 in either frame).
CREATE FUNCTION likes_hot_frame(p_hot numeric, p_base bigint, p_half_life integer, p_new_base bigint, p_new_half_life integer)
RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN p_hot = 0 AND p_half_life = p_new_half_life THEN greatest(p_base, p_new_base) ELSE p_base END
$$;

CREATE FUNCTION likes_hot_rank(p_hot numeric, p_base bigint, p_half_life integer) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT p_base::float8 / p_half_life + ln(p_hot::float8) / ln(2::float8)
$$;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        PERFORM set_config('citus.multi_shard_modify_mode', 'sequential', true);
        PERFORM create_reference_table('like_hot');
        PERFORM create_distributed_function('likes_hot_term(timestamptz, bigint, integer)');
        PERFORM create_distributed_function('likes_hot_frame(numeric, bigint, integer, bigint, integer)');
        PERFORM create_distributed_function('likes_hot_rank(numeric, bigint, integer)');
    END IF;
END
$$;

ALTER TABLE like_counts
    ADD COLUMN hot numeric NOT NULL DEFAULT 0,
    ADD COLUMN hot_base bigint NOT NULL DEFAULT 0,
    ADD COLUMN hot_half_life integer NOT NULL DEFAULT 21600;
-- (A statement of its own: Citus adds a constraint to a distributed table only alone.)
ALTER TABLE like_counts ADD CONSTRAINT like_counts_hot_not_negative CHECK (hot >= 0 AND hot_half_life > 0);

-- Likes made before this migration count in the hot score (in the first frame).
UPDATE like_counts c SET hot = h.hot, hot_base = f.base, hot_half_life = f.half_life
FROM like_hot f,
     (SELECT l.item_id, sum(likes_hot_term(l.created_at, f.base, f.half_life)) AS hot
      FROM likes l, like_hot f GROUP BY l.item_id) h
WHERE c.item_id = h.item_id;

CREATE INDEX like_counts_ranking_hot ON like_counts ((-likes_hot_rank(hot, hot_base, hot_half_life)), item_id) WHERE hot > 0;

-- Clicks on Citus move the hot score too: V6's likes_click_group, with the hot term added to (or,
-- for the rows an unlike deleted, taken from) the counter in the statement that moves its count, in
-- the counter's own frame (the UPDATE reads it from the locked row).
CREATE OR REPLACE FUNCTION likes_click_group(p_key varchar, p_like boolean, p_items varchar[], p_users varchar[], p_at timestamptz)
RETURNS TABLE (changed boolean, new_count bigint, barred text, seen boolean, seen_count bigint, wait integer)
LANGUAGE plpgsql AS $$
DECLARE
    clicks constant integer := cardinality(p_items);
    sharded constant boolean := to_regproc('get_shard_id_for_distribution_column') IS NOT NULL;
    home bigint;
    done boolean[] := array_fill(false, ARRAY[clicks]);
    why text[] := array_fill(NULL::text, ARRAY[clicks]);
    counts bigint[] := array_fill(NULL::bigint, ARRAY[clicks]);
    was boolean[] := array_fill(NULL::boolean, ARRAY[clicks]);
    item varchar;
    gone_item boolean;
    found_row boolean;
    i integer;
    n bigint;
    k integer;
    at timestamptz;
    level smallint;
    total bigint;
    hour bigint;
    day bigint;
    week bigint;
    lost record;
    lost_times timestamptz[];
    frame record;
BEGIN
    SELECT base, half_life INTO frame FROM like_hot;
    IF sharded THEN
        home := get_shard_id_for_distribution_column('likes', p_key);
    END IF;
    FOR item IN SELECT DISTINCT x COLLATE "C" FROM unnest(p_items) x ORDER BY 1 LOOP
        -- (Nested: PostgreSQL plans a condition whole, and without Citus the function does not exist.)
        IF sharded THEN
            IF get_shard_id_for_distribution_column('likes', item) <> home THEN
                RAISE EXCEPTION 'item % is not in the shard group of %', item, p_key USING ERRCODE = 'LKS01';
            END IF;
        END IF;
        -- (SELECT ... INTO rather than :=: Citus cannot plan an assignment that reads a table.)
        SELECT EXISTS (SELECT 1 FROM removed_items r WHERE r.item_id = item) INTO gone_item;
        n := 0;
        lost_times := '{}';
        FOR i IN SELECT p FROM generate_subscripts(p_items, 1) p WHERE p_items[p] = item ORDER BY p_users[p] COLLATE "C" LOOP
            IF EXISTS (SELECT 1 FROM suspended_users s WHERE s.user_id = p_users[i]) THEN
                why[i] := 'suspended';
            ELSIF gone_item THEN
                why[i] := 'removed';
            ELSIF p_like THEN
                INSERT INTO likes (item_id, user_id, created_at) VALUES (item, p_users[i], p_at)
                ON CONFLICT (item_id, user_id) DO NOTHING;
                GET DIAGNOSTICS k = ROW_COUNT;
                done[i] := k > 0;
            ELSE
                DELETE FROM likes WHERE item_id = item AND user_id = p_users[i] RETURNING created_at INTO at;
                done[i] := FOUND;
                IF FOUND THEN
                    lost_times := lost_times || at;
                END IF;
            END IF;
            IF done[i] THEN
                n := n + 1;
            END IF;
        END LOOP;
        total := NULL;
        IF n > 0 AND p_like THEN
            INSERT INTO like_buckets AS b (item_id, minute, likes) VALUES (item, date_trunc('minute', p_at), n)
            ON CONFLICT (item_id, minute) DO UPDATE SET likes = b.likes + excluded.likes
            RETURNING b.counted_in INTO level;
            INSERT INTO like_counts AS c (item_id, likes, likes_hour, likes_day, likes_week, hot, hot_base, hot_half_life)
            VALUES (item, n, CASE WHEN level >= 3 THEN n ELSE 0 END, CASE WHEN level >= 2 THEN n ELSE 0 END, n,
                    n * likes_hot_term(p_at, frame.base, frame.half_life), frame.base, frame.half_life)
            ON CONFLICT (item_id) DO UPDATE SET likes = c.likes + excluded.likes,
                likes_hour = c.likes_hour + excluded.likes_hour,
                likes_day = c.likes_day + excluded.likes_day,
                likes_week = c.likes_week + excluded.likes_week,
                hot = c.hot + excluded.likes * likes_hot_term(p_at,
                    likes_hot_frame(c.hot, c.hot_base, c.hot_half_life, excluded.hot_base, excluded.hot_half_life), c.hot_half_life),
                hot_base = likes_hot_frame(c.hot, c.hot_base, c.hot_half_life, excluded.hot_base, excluded.hot_half_life)
            RETURNING c.likes INTO total;
        ELSIF n > 0 THEN
            -- As in ClickStatements' unlikes: a like whose minute left every window (no bucket)
            -- leaves only the all-time count; a drifted count stops at 0.
            hour := 0;
            day := 0;
            week := 0;
            FOR lost IN SELECT date_trunc('minute', t) AS minute, count(*) AS n FROM unnest(lost_times) t GROUP BY 1 ORDER BY 1 LOOP
                UPDATE like_buckets AS b SET likes = greatest(b.likes - lost.n, 0)
                WHERE b.item_id = item AND b.minute = lost.minute
                RETURNING b.counted_in INTO level;
                IF FOUND THEN
                    week := week + lost.n;
                    day := day + CASE WHEN level >= 2 THEN lost.n ELSE 0 END;
                    hour := hour + CASE WHEN level >= 3 THEN lost.n ELSE 0 END;
                END IF;
            END LOOP;
            UPDATE like_counts AS c SET likes = greatest(c.likes - n, 0),
                likes_hour = greatest(c.likes_hour - hour, 0),
                likes_day = greatest(c.likes_day - day, 0),
                likes_week = greatest(c.likes_week - week, 0),
                hot = greatest(c.hot - (SELECT sum(likes_hot_term(t, c.hot_base, c.hot_half_life)) FROM unnest(lost_times) t), 0)
            WHERE c.item_id = item
            RETURNING c.likes INTO total;
        ELSE
            SELECT c.likes INTO total FROM like_counts c WHERE c.item_id = item;
        END IF;
        -- A click that changed nothing answers whether the like is there now and the item's count.
        FOR i IN SELECT p FROM generate_subscripts(p_items, 1) p WHERE p_items[p] = item LOOP
            counts[i] := total;
            IF NOT done[i] AND why[i] IS NULL THEN
                SELECT EXISTS (SELECT 1 FROM likes l WHERE l.item_id = item AND l.user_id = p_users[i]) INTO found_row;
                was[i] := found_row;
            END IF;
        END LOOP;
    END LOOP;
    RETURN QUERY SELECT done[p], CASE WHEN done[p] THEN counts[p] END, why[p], was[p],
                        CASE WHEN NOT done[p] THEN counts[p] END, NULL::integer
                 FROM generate_subscripts(p_items, 1) p ORDER BY p;
END
$$;

-- The re-base of one shard group (on plain PostgreSQL, of any items): item by item in key order (the
-- order clicks take counters), the counter is locked first, then its rows are summed in the new
-- frame by a statement that starts after the lock: it sees every click that committed before, and
-- every click still under way moves the counter after this commit, in its new frame. Answers the
-- items moved.
CREATE FUNCTION likes_hot_rebase_group(p_key varchar, p_items varchar[], p_base bigint, p_half_life integer)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    sharded constant boolean := to_regproc('get_shard_id_for_distribution_column') IS NOT NULL;
    item varchar;
    moved bigint := 0;
    total numeric;
BEGIN
    FOR item IN SELECT DISTINCT x COLLATE "C" FROM unnest(p_items) x ORDER BY 1 LOOP
        IF sharded THEN
            IF get_shard_id_for_distribution_column('likes', item) <> get_shard_id_for_distribution_column('likes', p_key) THEN
                RAISE EXCEPTION 'item % is not in the shard group of %', item, p_key USING ERRCODE = 'LKS01';
            END IF;
        END IF;
        PERFORM 1 FROM like_counts WHERE item_id = item FOR UPDATE;
        IF FOUND THEN
            SELECT coalesce(sum(likes_hot_term(l.created_at, p_base, p_half_life)), 0) INTO total
                FROM likes l WHERE l.item_id = item;
            UPDATE like_counts SET hot = total, hot_base = p_base, hot_half_life = p_half_life WHERE item_id = item;
            moved := moved + 1;
        END IF;
    END LOOP;
    RETURN moved;
END
$$;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        PERFORM set_config('citus.multi_shard_modify_mode', 'sequential', true);
        PERFORM create_distributed_function('likes_hot_rebase_group(varchar, varchar[], bigint, integer)',
                                            'p_key', colocate_with := 'likes');
    END IF;
END
$$;
