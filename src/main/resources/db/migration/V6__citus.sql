-- Citus (see docs/citus.md): when this database is a Citus coordinator, the tables are spread over
-- its workers. likes, like_counts, like_buckets and suspended_likes are distributed by item_id and
-- co-located: an item's like rows, counter and buckets always share one shard group on one worker,
-- so every statement about one item runs there alone. The small tables that clicks and rankings
-- read (like_windows, suspended_users, removed_items) become reference tables, copied to every node.
-- like_limits, like_events and lifecycle_jobs stay on the coordinator (toggle limits, events and
-- lifecycle jobs are not offered on Citus: the service says so at start).
-- On plain PostgreSQL the block does nothing, and the two functions below are created but unused.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        -- One connection per worker for the whole migration: Citus distributes the functions
        -- below only in a transaction that has not used several connections to a worker.
        PERFORM set_config('citus.multi_shard_modify_mode', 'sequential', true);
        PERFORM create_reference_table('like_windows');
        PERFORM create_reference_table('suspended_users');
        PERFORM create_reference_table('removed_items');
        PERFORM create_distributed_table('likes', 'item_id', colocate_with := 'none');
        PERFORM create_distributed_table('like_counts', 'item_id', colocate_with := 'likes');
        PERFORM create_distributed_table('like_buckets', 'item_id', colocate_with := 'likes');
        PERFORM create_distributed_table('suspended_likes', 'item_id', colocate_with := 'likes');
    END IF;
END
$$;

-- The clicks of one shard group on Citus, in one call that Citus sends whole to the worker holding
-- p_key's shard group, and one transaction there. Answers in the columns of ClickStatements'
-- statements, a row per click in the order given. Citus does not plan the batched statements of many
-- items, so this goes item by item, in key order (COLLATE "C", as the keys compare), each with
-- statements about that one item: the like rows (one at a time, in user order), then the bucket(s),
-- then the counter, moved by the number of rows really added or removed. likes_age_group and the
-- recount also take items in key order, and within an item rows, buckets, counter. A click that
-- changed nothing is answered from after the item's writes (its like there or not, the count then),
-- not from one snapshot before them: a count the item really had, all the same. An item from
-- another shard group fails the whole call (SQLSTATE LKS01: the service's shard map is out of date).
CREATE FUNCTION likes_click_group(p_key varchar, p_like boolean, p_items varchar[], p_users varchar[], p_at timestamptz)
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
    lost_minutes timestamptz[];
BEGIN
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
        lost_minutes := '{}';
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
                    lost_minutes := lost_minutes || date_trunc('minute', at);
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
            INSERT INTO like_counts AS c (item_id, likes, likes_hour, likes_day, likes_week)
            VALUES (item, n, CASE WHEN level >= 3 THEN n ELSE 0 END, CASE WHEN level >= 2 THEN n ELSE 0 END, n)
            ON CONFLICT (item_id) DO UPDATE SET likes = c.likes + excluded.likes,
                likes_hour = c.likes_hour + excluded.likes_hour,
                likes_day = c.likes_day + excluded.likes_day,
                likes_week = c.likes_week + excluded.likes_week
            RETURNING c.likes INTO total;
        ELSIF n > 0 THEN
            -- As in ClickStatements' unlikes: a like whose minute left every window (no bucket)
            -- leaves only the all-time count; a drifted count stops at 0.
            hour := 0;
            day := 0;
            week := 0;
            FOR lost IN SELECT m AS minute, count(*) AS n FROM unnest(lost_minutes) m GROUP BY m ORDER BY m LOOP
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
                likes_week = greatest(c.likes_week - week, 0)
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

-- The window aging of one shard group on Citus (see dev.likes.ranking.WindowStore): for each item,
-- in key order, the buckets that the window of p_level still counts and that are older than p_since
-- are locked in minute order, leave the window (one level down; deleted when leaving the week,
-- level 1) and take their likes out of the item's count for that window. Answers the buckets moved.
CREATE FUNCTION likes_age_group(p_key varchar, p_items varchar[], p_level smallint, p_since timestamptz)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    sharded constant boolean := to_regproc('get_shard_id_for_distribution_column') IS NOT NULL;
    item varchar;
    n bigint;
    k bigint;
    moved bigint := 0;
BEGIN
    FOR item IN SELECT DISTINCT x COLLATE "C" FROM unnest(p_items) x ORDER BY 1 LOOP
        IF sharded THEN
            IF get_shard_id_for_distribution_column('likes', item) <> get_shard_id_for_distribution_column('likes', p_key) THEN
                RAISE EXCEPTION 'item % is not in the shard group of %', item, p_key USING ERRCODE = 'LKS01';
            END IF;
        END IF;
        PERFORM 1 FROM like_buckets WHERE item_id = item AND counted_in = p_level AND minute < p_since
            ORDER BY minute FOR UPDATE;
        SELECT coalesce(sum(likes), 0), count(*) INTO n, k FROM like_buckets
            WHERE item_id = item AND counted_in = p_level AND minute < p_since;
        IF k > 0 THEN
            IF p_level = 1 THEN
                DELETE FROM like_buckets WHERE item_id = item AND counted_in = 1 AND minute < p_since;
            ELSE
                UPDATE like_buckets SET counted_in = counted_in - 1
                    WHERE item_id = item AND counted_in = p_level AND minute < p_since;
            END IF;
            UPDATE like_counts SET
                likes_hour = CASE WHEN p_level = 3 THEN greatest(likes_hour - n, 0) ELSE likes_hour END,
                likes_day = CASE WHEN p_level = 2 THEN greatest(likes_day - n, 0) ELSE likes_day END,
                likes_week = CASE WHEN p_level = 1 THEN greatest(likes_week - n, 0) ELSE likes_week END
            WHERE item_id = item;
            moved := moved + k;
        END IF;
    END LOOP;
    RETURN moved;
END
$$;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        PERFORM create_distributed_function('likes_click_group(varchar, boolean, varchar[], varchar[], timestamptz)',
                                            'p_key', colocate_with := 'likes');
        PERFORM create_distributed_function('likes_age_group(varchar, varchar[], smallint, timestamptz)',
                                            'p_key', colocate_with := 'likes');
    END IF;
END
$$;
