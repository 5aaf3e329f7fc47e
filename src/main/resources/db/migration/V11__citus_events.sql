-- Like events on Citus (dev.likes.events, docs/citus.md). The outbox is distributed by item_id,
-- co-located with the likes: a click's or a lifecycle batch's call writes its events on its worker,
-- in its own transaction, beside the like rows. Two things differ from one PostgreSQL:
--
-- * An item's events are ordered by item_seq, its own count of recorded events, kept in the item's
--   counter row (like_counts.events), which the call holds locked: a later change of the item gets
--   a higher item_seq, and the counter, like the outbox, moves with its shard group (a rebalance, a
--   failover). A sequence cannot order them here: each worker draws its own values, so an item whose
--   shard moved to another worker could get lower ones.
-- * event_id, what consumers see, is drawn by the relay from the coordinator's sequence like_event_ids
--   before it first sends an event, and written to the row (dev.likes.events.ShardedOutbox): it is
--   unique, and each item's events get them in item_seq order, so a later event of an item has the
--   higher id, as on one PostgreSQL.
--
-- On plain PostgreSQL item_seq and like_counts.events stay unused (event_id is the identity, drawn in
-- the statement under the counters' locks, V5), except by the functions below in the tests.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        -- One connection per worker for the whole migration (a transaction): as V6.
        PERFORM set_config('citus.multi_shard_modify_mode', 'sequential', true);
    END IF;
END
$$;

ALTER TABLE like_counts ADD COLUMN events bigint NOT NULL DEFAULT 0;
ALTER TABLE like_events ADD COLUMN item_seq bigint;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        PERFORM set_config('citus.multi_shard_modify_mode', 'sequential', true);
        -- (Empty: the service refused events on Citus before this.)
        ALTER TABLE like_events DROP CONSTRAINT like_events_pkey;
        ALTER TABLE like_events ALTER COLUMN event_id DROP IDENTITY;
        ALTER TABLE like_events ALTER COLUMN event_id DROP NOT NULL;
        ALTER TABLE like_events ALTER COLUMN item_seq SET NOT NULL;
        ALTER TABLE like_events ADD CONSTRAINT like_events_pkey PRIMARY KEY (item_id, item_seq);
        CREATE SEQUENCE like_event_ids AS bigint CACHE 1;
        PERFORM create_distributed_table('like_events', 'item_id', colocate_with := 'likes');
    END IF;
END
$$;

-- Fails the call (SQLSTATE LKS01: the service's shard map is out of date, it reads it again) when
-- p_item is not in p_key's shard group; on plain PostgreSQL every item is in the one group. For the
-- shard-group functions from here on (V6-V10 spell the same check out).
CREATE FUNCTION likes_same_group(p_key varchar, p_item varchar) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    -- (Nested: PostgreSQL plans a condition whole, and without Citus the function does not exist.)
    IF to_regproc('get_shard_id_for_distribution_column') IS NOT NULL THEN
        IF get_shard_id_for_distribution_column('likes', p_item) <> get_shard_id_for_distribution_column('likes', p_key) THEN
            RAISE EXCEPTION 'item % is not in the shard group of %', p_item, p_key USING ERRCODE = 'LKS01';
        END IF;
    END IF;
END
$$;

-- The events of p_users' likes of p_item (in that order), each a change of one like of type p_type,
-- which left the item at p_total (after the last of them): numbered as one after another, as
-- OutboxStore's RECORD numbers them. Called under the item's counter lock (the caller has moved the
-- counter). A counter that has recorded none (new, or from before this migration: a removed item's
-- counter goes with it) starts after whatever of the item is still in the outbox.
CREATE FUNCTION likes_record_events(p_item varchar, p_type text, p_users varchar[], p_total bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    n constant integer := cardinality(p_users);
    adds constant boolean := p_type IN ('liked', 'reinstated');
    -- (A counter that is missing counts 0, as the single-node statement's LEFT JOIN does.)
    total constant bigint := coalesce(p_total, 0);
    last bigint;
BEGIN
    IF n = 0 THEN
        RETURN;
    END IF;
    UPDATE like_counts SET events = events + n WHERE item_id = p_item RETURNING events INTO last;
    IF last IS NULL OR last = n THEN
        SELECT coalesce(max(e.item_seq), 0) + n INTO last FROM like_events e WHERE e.item_id = p_item;
        UPDATE like_counts SET events = last WHERE item_id = p_item;
    END IF;
    INSERT INTO like_events (type, item_id, user_id, likes, item_seq)
    SELECT p_type, p_item, u, CASE WHEN adds THEN total - n + k ELSE total + n - k END, last - n + k
    FROM unnest(p_users) WITH ORDINALITY AS x(u, k);
END
$$;

-- likes_click_group (V7) and the events of what it changed, in the same transaction on the same
-- worker: each item's changed clicks in the order given, the count after the last of them being the
-- one the call answers (the service answers each click with its own step of it, as the events say).
CREATE FUNCTION likes_click_recorded(p_key varchar, p_like boolean, p_items varchar[], p_users varchar[], p_at timestamptz)
RETURNS TABLE (changed boolean, new_count bigint, barred text, seen boolean, seen_count bigint, wait integer)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    done boolean[];
    counts bigint[];
    why text[];
    was boolean[];
    was_count bigint[];
    waits integer[];
    item record;
BEGIN
    SELECT array_agg(a.changed ORDER BY a.o), array_agg(a.new_count ORDER BY a.o), array_agg(a.barred ORDER BY a.o),
           array_agg(a.seen ORDER BY a.o), array_agg(a.seen_count ORDER BY a.o), array_agg(a.wait ORDER BY a.o)
        INTO done, counts, why, was, was_count, waits
    FROM likes_click_group(p_key, p_like, p_items, p_users, p_at) WITH ORDINALITY
         AS a(changed, new_count, barred, seen, seen_count, wait, o);
    FOR item IN SELECT p_items[p] AS id, max(counts[p]) AS total, array_agg(p_users[p] ORDER BY p) AS users
                FROM generate_subscripts(done, 1) p WHERE done[p] GROUP BY p_items[p] ORDER BY p_items[p] COLLATE "C" LOOP
        PERFORM likes_record_events(item.id, CASE WHEN p_like THEN 'liked' ELSE 'unliked' END, item.users, item.total);
    END LOOP;
    RETURN QUERY SELECT done[p], counts[p], why[p], was[p], was_count[p], waits[p] FROM generate_subscripts(done, 1) p ORDER BY p;
END
$$;

-- likes_lifecycle_group (V9) with the events of the likes it moves when p_events is set (the
-- service's events are on): the subject's like of each item (the count after it, from likes_take or
-- likes_give), or a removal's likes of the item, in user order, as LifecycleStore's statements
-- record them. The function of V9 goes: this one is the service's from now on.
DROP FUNCTION likes_lifecycle_group(varchar, text, varchar, varchar[], integer, timestamptz);
CREATE FUNCTION likes_lifecycle_group(p_key varchar, p_kind text, p_subject varchar, p_items varchar[], p_limit integer,
                                      p_at timestamptz, p_events boolean)
RETURNS TABLE (item_id varchar, moved bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    event constant text := CASE p_kind WHEN 'erase-user' THEN 'erased' WHEN 'suspend-user' THEN 'suspended'
                                       WHEN 'reinstate-user' THEN 'reinstated' WHEN 'remove-item' THEN 'removed' END;
    item varchar;
    suspended boolean;
    gone_item boolean;
    times timestamptz[];
    users varchar[];
    total bigint;
BEGIN
    IF event IS NULL THEN
        RAISE EXCEPTION 'unknown lifecycle job kind %', p_kind;
    END IF;
    SELECT EXISTS (SELECT 1 FROM suspended_users s WHERE s.user_id = p_subject) INTO suspended;
    FOR item IN SELECT DISTINCT x COLLATE "C" FROM unnest(p_items) x ORDER BY 1 LOOP
        PERFORM likes_same_group(p_key, item);
        times := '{}';
        users := '{}';
        IF p_kind = 'erase-user' OR (p_kind = 'suspend-user' AND suspended) THEN
            WITH gone AS (
                DELETE FROM likes l WHERE l.item_id = item AND l.user_id = p_subject RETURNING l.created_at, l.user_id
            )
            SELECT coalesce(array_agg(created_at), '{}'), coalesce(array_agg(user_id), '{}') INTO times, users FROM gone;
            IF p_kind = 'suspend-user' AND cardinality(times) > 0 THEN
                INSERT INTO suspended_likes AS s (user_id, item_id, created_at) VALUES (p_subject, item, times[1])
                ON CONFLICT (user_id, item_id) DO UPDATE SET created_at = excluded.created_at;
            END IF;
        ELSIF p_kind = 'remove-item' AND item = p_subject THEN
            WITH gone AS (
                DELETE FROM likes l WHERE l.item_id = item AND l.user_id IN (
                    SELECT b.user_id FROM likes b WHERE b.item_id = item ORDER BY b.user_id LIMIT p_limit)
                RETURNING l.created_at, l.user_id
            )
            SELECT coalesce(array_agg(created_at ORDER BY user_id), '{}'), coalesce(array_agg(user_id ORDER BY user_id), '{}')
                INTO times, users FROM gone;
        ELSIF p_kind = 'reinstate-user' AND NOT suspended THEN
            SELECT EXISTS (SELECT 1 FROM removed_items r WHERE r.item_id = item) INTO gone_item;
            WITH back AS (
                DELETE FROM suspended_likes s WHERE s.user_id = p_subject AND s.item_id = item RETURNING s.created_at
            ), kept AS (
                INSERT INTO likes (item_id, user_id, created_at)
                SELECT item, p_subject, b.created_at FROM back b WHERE NOT gone_item
                ON CONFLICT (item_id, user_id) DO NOTHING
                RETURNING created_at, user_id
            )
            SELECT coalesce(array_agg(created_at), '{}'), coalesce(array_agg(user_id), '{}') INTO times, users FROM kept;
        END IF;
        IF cardinality(times) > 0 THEN
            IF p_kind = 'reinstate-user' THEN
                total := likes_give(item, times, p_at);
            ELSE
                total := likes_take(item, times);
            END IF;
            IF p_events THEN
                PERFORM likes_record_events(item, event, users, total);
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
        PERFORM create_distributed_function('likes_click_recorded(varchar, boolean, varchar[], varchar[], timestamptz)',
                                            'p_key', colocate_with := 'likes');
        PERFORM create_distributed_function('likes_lifecycle_group(varchar, text, varchar, varchar[], integer, timestamptz, boolean)',
                                            'p_key', colocate_with := 'likes');
    END IF;
END
$$;
