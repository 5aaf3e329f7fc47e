-- The aging step on Citus (likes_age_group, V6) takes from an item's window count the likes of the
-- buckets it moved, now counted from what the move itself returned. Before, it summed the due buckets
-- in one statement and moved them in the next: each statement of a PL/pgSQL function takes its own
-- snapshot, so a bucket that another transaction committed between the two (an import or a
-- reinstatement, whose likes' minute is already due) was moved out of the window without its likes
-- leaving the count, which then stayed above its buckets for good. WindowStore's single-node step
-- already counts from its move's RETURNING; now both do. The plan setting of V13 is restated: CREATE
-- OR REPLACE FUNCTION replaces a function's settings with its own.
CREATE OR REPLACE FUNCTION likes_age_group(p_key varchar, p_items varchar[], p_level smallint, p_since timestamptz)
RETURNS bigint
LANGUAGE plpgsql
SET plan_cache_mode = force_custom_plan
AS $$
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
        -- Locked in minute order first, as before: the order every writer of an item's buckets keeps.
        PERFORM 1 FROM like_buckets WHERE item_id = item AND counted_in = p_level AND minute < p_since
            ORDER BY minute FOR UPDATE;
        IF p_level = 1 THEN
            WITH gone AS (
                DELETE FROM like_buckets WHERE item_id = item AND counted_in = 1 AND minute < p_since
                RETURNING likes
            )
            SELECT coalesce(sum(likes), 0), count(*) INTO n, k FROM gone;
        ELSE
            WITH demoted AS (
                UPDATE like_buckets SET counted_in = counted_in - 1
                WHERE item_id = item AND counted_in = p_level AND minute < p_since
                RETURNING likes
            )
            SELECT coalesce(sum(likes), 0), count(*) INTO n, k FROM demoted;
        END IF;
        IF k > 0 THEN
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
