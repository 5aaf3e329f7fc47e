-- Toggle limits on Citus (dev.likes.likes.ShardGroupLimits, docs/citus.md). A user's limit row must
-- count the user's clicks on every item, and those land on every worker, so the limits cannot be
-- taken inside the items' calls without a two-phase commit over two workers on every click (tried:
-- a tenth of the calls per second). Instead like_limits is distributed by user_id, co-located with
-- the likes' shard groups (the same hash ranges, so the service's shard map places users too), and a
-- batch's clicks first take their allowance in one call per users' shard group (likes_limit_group,
-- one local transaction on that worker, under each user's row lock, as strict as the single-node
-- statement), then go to their items' groups. A barred click takes none; a click granted there that
-- then changed nothing (a repeat) gets its allowance back (likes_limit_refund): what counts is
-- changes, as on one PostgreSQL. On plain PostgreSQL the functions exist and are unused but in the tests.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        PERFORM set_config('citus.multi_shard_modify_mode', 'sequential', true);
        -- Logged on Citus: a shard move (rebalancing) copies a shard group by logical replication,
        -- which takes no unlogged table. The limits then also outlive a worker's failover there.
        ALTER TABLE like_limits SET LOGGED;
        PERFORM create_distributed_table('like_limits', 'user_id', colocate_with := 'likes');
    END IF;
END
$$;

-- The allowance of one shard group's users (p_key's group): for each user, in key order, the items
-- asked in the order given; answers each click's wait (0: granted, else the seconds to wait), in the
-- order given. The row is created, then locked, then decided by like_limit and written: Citus runs
-- each as a one-shard statement (it refuses the single-node INSERT ... ON CONFLICT with a function
-- of the old row in its DO UPDATE from a worker).
CREATE FUNCTION likes_limit_group(p_key varchar, p_users varchar[], p_items varchar[], p_at timestamptz,
                                  p_per_item integer, p_per_user integer)
RETURNS TABLE (wait integer)
LANGUAGE plpgsql AS $$
DECLARE
    sharded constant boolean := to_regproc('get_shard_id_for_distribution_column') IS NOT NULL;
    answers integer[] := array_fill(0, ARRAY[cardinality(p_users)]);
    who varchar;
    at_positions integer[];
    wanted varchar[];
    log_items varchar[];
    log_times timestamptz[];
    decided record;
BEGIN
    FOR who IN SELECT DISTINCT x COLLATE "C" FROM unnest(p_users) x ORDER BY 1 LOOP
        IF sharded THEN
            IF get_shard_id_for_distribution_column('like_limits', who) <> get_shard_id_for_distribution_column('like_limits', p_key) THEN
                RAISE EXCEPTION 'user % is not in the shard group of %', who, p_key USING ERRCODE = 'LKS01';
            END IF;
        END IF;
        -- A barred click changes nothing and takes no allowance (as in the single-node statement):
        -- granted here, and answered barred by its item's call.
        SELECT array_agg(p ORDER BY p) INTO at_positions FROM generate_subscripts(p_users, 1) p
        WHERE p_users[p] = who AND NOT EXISTS (SELECT 1 FROM suspended_users s WHERE s.user_id = who)
          AND NOT EXISTS (SELECT 1 FROM removed_items r WHERE r.item_id = p_items[p]);
        CONTINUE WHEN at_positions IS NULL;
        SELECT array_agg(p_items[p] ORDER BY p) INTO wanted FROM unnest(at_positions) p;
        INSERT INTO like_limits (user_id, items, times, asked, waits) VALUES (who, '{}', '{}', '{}', '{}')
        ON CONFLICT (user_id) DO NOTHING;
        SELECT l.items, l.times INTO log_items, log_times FROM like_limits l WHERE l.user_id = who FOR UPDATE;
        SELECT * INTO decided FROM like_limit(log_items, log_times, wanted, p_at, p_per_item, p_per_user);
        UPDATE like_limits SET items = decided.items, times = decided.times, asked = wanted, waits = decided.waits
        WHERE user_id = who;
        FOR i IN 1 .. cardinality(at_positions) LOOP
            answers[at_positions[i]] := decided.waits[i];
        END LOOP;
    END LOOP;
    RETURN QUERY SELECT answers[p] FROM generate_subscripts(p_users, 1) p ORDER BY p;
END
$$;

-- Gives back the allowance of clicks granted at p_at that changed nothing: for each (user, item),
-- one entry (item, p_at) leaves the user's log.
CREATE FUNCTION likes_limit_refund(p_key varchar, p_users varchar[], p_items varchar[], p_at timestamptz)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    who varchar;
    back varchar[];
    log_items varchar[];
    log_times timestamptz[];
    kept_items varchar[];
    kept_times timestamptz[];
    k integer;
BEGIN
    FOR who IN SELECT DISTINCT x COLLATE "C" FROM unnest(p_users) x ORDER BY 1 LOOP
        SELECT array_agg(p_items[p]) INTO back FROM generate_subscripts(p_users, 1) p WHERE p_users[p] = who;
        SELECT l.items, l.times INTO log_items, log_times FROM like_limits l WHERE l.user_id = who FOR UPDATE;
        CONTINUE WHEN NOT FOUND;
        kept_items := '{}';
        kept_times := '{}';
        FOR i IN 1 .. coalesce(cardinality(log_items), 0) LOOP
            k := array_position(back, log_items[i]);
            IF log_times[i] = p_at AND k IS NOT NULL THEN
                back[k] := NULL;
            ELSE
                kept_items := kept_items || log_items[i];
                kept_times := kept_times || log_times[i];
            END IF;
        END LOOP;
        UPDATE like_limits SET items = kept_items, times = kept_times WHERE user_id = who;
    END LOOP;
END
$$;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        PERFORM set_config('citus.multi_shard_modify_mode', 'sequential', true);
        PERFORM create_distributed_function('likes_limit_group(varchar, varchar[], varchar[], timestamptz, integer, integer)',
                                            'p_key', colocate_with := 'likes');
        PERFORM create_distributed_function('likes_limit_refund(varchar, varchar[], varchar[], timestamptz)',
                                            'p_key', colocate_with := 'likes');
    END IF;
END
$$;
