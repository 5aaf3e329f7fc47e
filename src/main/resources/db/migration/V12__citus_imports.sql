-- Imports on Citus (dev.likes.imports.ShardGroupLoads, docs/import.md). ImportStore's batch statement
-- moves the likes of many items at once, which Citus cannot plan; on Citus a batch's likes go to their
-- shard groups instead, one call of likes_import_group each, which Citus runs whole on the group's
-- worker. Then the batch is recorded done on the coordinator (like_import_batches and
-- like_import_items stay there). Every call is safe to repeat: a like already there is left as it is.

-- One shard group's share of a batch (p_key's group; on plain PostgreSQL any items): item by item in
-- key order, as ImportStore.LOAD does for the batch: each user's first like of the item (in the order
-- given), unless the item is removed or the user suspended (barred); the likes not there yet are
-- added with their own times, then the buckets and the counter gain them (likes_give, V9: as a
-- reinstatement's likes come back). Answers the likes loaded, the likes barred, and the items changed.
CREATE FUNCTION likes_import_group(p_key varchar, p_items varchar[], p_users varchar[], p_times timestamptz[], p_at timestamptz)
RETURNS TABLE (loaded bigint, barred bigint, items varchar[])
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    item varchar;
    gone_item boolean;
    given bigint;
    kept bigint;
    times timestamptz[];
BEGIN
    loaded := 0;
    barred := 0;
    items := '{}';
    FOR item IN SELECT DISTINCT x COLLATE "C" FROM unnest(p_items) x ORDER BY 1 LOOP
        PERFORM likes_same_group(p_key, item);
        SELECT EXISTS (SELECT 1 FROM removed_items r WHERE r.item_id = item) INTO gone_item;
        WITH given AS (
            SELECT DISTINCT ON (x.u) x.u, x.t
            FROM unnest(p_items, p_users, p_times) WITH ORDINALITY AS x(i, u, t, o)
            WHERE x.i = item ORDER BY x.u, x.o
        ), allowed AS (
            SELECT g.u, g.t FROM given g
            WHERE NOT gone_item AND NOT EXISTS (SELECT 1 FROM suspended_users s WHERE s.user_id = g.u)
        ), added AS (
            INSERT INTO likes (item_id, user_id, created_at)
            SELECT item, a.u, a.t FROM allowed a ORDER BY a.u
            ON CONFLICT (item_id, user_id) DO NOTHING
            RETURNING created_at
        )
        SELECT (SELECT count(*) FROM given), (SELECT count(*) FROM allowed), coalesce((SELECT array_agg(created_at) FROM added), '{}')
            INTO given, kept, times;
        barred := barred + given - kept;
        IF cardinality(times) > 0 THEN
            PERFORM likes_give(item, times, p_at);
            loaded := loaded + cardinality(times);
            items := items || item;
        END IF;
    END LOOP;
    RETURN NEXT;
END
$$;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        PERFORM set_config('citus.multi_shard_modify_mode', 'sequential', true);
        PERFORM create_distributed_function('likes_import_group(varchar, varchar[], varchar[], timestamptz[], timestamptz)',
                                            'p_key', colocate_with := 'likes');
    END IF;
END
$$;
