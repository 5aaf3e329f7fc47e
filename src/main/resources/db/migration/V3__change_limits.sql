-- Toggle-storm limits, shared by every replica: each click statement counts the user's like changes
-- of the last minute here, under the user's row lock, and writes only the clicks within the limits
-- (see dev.likes.likes.LimitStore).
--
-- One row per user who changed a like in the last minute or so: the log of those changes (item and
-- time, oldest first), and the decision of the user's latest statement (the items it asked to change,
-- in order, and for each 0 when granted or the seconds to wait). UNLOGGED: no WAL, so it costs the
-- click little; after a crash or a failover the limits start afresh, as an in-memory limit would.
-- The leader deletes the rows of users idle for a minute.

CREATE UNLOGGED TABLE like_limits (
    user_id varchar(64) COLLATE "C" NOT NULL,
    items   varchar(64)[] NOT NULL,
    times   timestamptz[] NOT NULL,
    asked   varchar(64)[] NOT NULL,
    waits   integer[] NOT NULL,
    CONSTRAINT like_limits_pkey PRIMARY KEY (user_id)
) WITH (fillfactor = 80);

-- A user's log and the items a statement asks to change, in order: each is granted while the user has
-- fewer than per_user changes in the minute before p_at and fewer than per_item on that item (0: no
-- such limit), and then enters the log. Answers the log of the last minute and, per item asked, 0
-- (granted) or the whole seconds until the change in the way is a minute old (1 to 60). The log is
-- kept in time order and to its newest 1000 entries: with no per-user limit a user who changes more
-- in a minute is limited per item on those only, and each click's work stays bounded.
CREATE FUNCTION like_limit(log_items varchar[], log_times timestamptz[], asked varchar[], p_at timestamptz,
                           per_item integer, per_user integer,
                           OUT items varchar[], OUT times timestamptz[], OUT waits integer[])
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    since constant timestamptz := p_at - interval '1 minute';
    item varchar;
    on_item timestamptz[];
    blocked_until timestamptz;
BEGIN
    items := '{}';
    times := '{}';
    waits := '{}';
    FOR i IN greatest(1, coalesce(cardinality(log_times), 0) - 999) .. coalesce(cardinality(log_times), 0) LOOP
        IF log_times[i] > since THEN
            items := items || log_items[i];
            times := times || log_times[i];
        END IF;
    END LOOP;
    FOREACH item IN ARRAY asked LOOP
        blocked_until := NULL;
        IF per_user > 0 AND cardinality(times) >= per_user THEN
            blocked_until := times[cardinality(times) - per_user + 1] + interval '1 minute';
        END IF;
        IF per_item > 0 THEN
            on_item := '{}';
            FOR i IN 1 .. cardinality(items) LOOP
                IF items[i] = item THEN
                    on_item := on_item || times[i];
                END IF;
            END LOOP;
            IF cardinality(on_item) >= per_item THEN
                blocked_until := greatest(blocked_until, on_item[cardinality(on_item) - per_item + 1] + interval '1 minute');
            END IF;
        END IF;
        IF blocked_until IS NULL THEN
            items := items || item;
            times := times || p_at;
            waits := waits || 0;
        ELSE
            waits := waits || least(60, greatest(1, ceil(extract(epoch FROM blocked_until - p_at))))::integer;
        END IF;
    END LOOP;
END
$$;
