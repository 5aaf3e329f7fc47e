-- variant: UNLIKE ENFORCED OFF (dev.likes.likes.ClickStatement: direction, limits, events)
-- One unlike of a random (item, user) pair, as DELETE /v1/items/{item}/likes/{user} sends it:
-- items "1".."100000", users "1".."1000000" (numeric strings, the id space of the wrk workloads).
-- The statement below is the service's SQL verbatim, line for line, with only its parameters
-- replaced: $1::varchar[] -> ARRAY[:item]::varchar[], $2::varchar[] -> ARRAY[:user]::varchar[],
-- $3::timestamptz -> now(), $4/$5::integer -> :per_item/:per_user::integer (the toggle limits,
-- as production runs them: 10 changes per item and 120 in all per user per minute).
-- The lone ";" after it ends the command for pgbench (a command may span lines up to its ";").
\set per_item 10
\set per_user 120
\set item random(1, 100000)
\set user random(1, 1000000)
WITH asked AS (
    SELECT item_id, user_id, position,
           CASE WHEN EXISTS (SELECT 1 FROM suspended_users s WHERE s.user_id = a.user_id) THEN 'suspended'
                WHEN EXISTS (SELECT 1 FROM removed_items r WHERE r.item_id = a.item_id) THEN 'removed'
           END AS barred
    FROM unnest(ARRAY[:item]::varchar[], ARRAY[:user]::varchar[]) WITH ORDINALITY AS a(item_id, user_id, position)
), allowed AS (
    SELECT item_id, user_id, position FROM asked WHERE barred IS NULL
), wanted AS (
    SELECT a.item_id, a.user_id, a.position FROM allowed a
    WHERE  EXISTS (SELECT 1 FROM likes l WHERE l.item_id = a.item_id AND l.user_id = a.user_id)
), limited AS (
    INSERT INTO like_limits AS u (user_id, items, times, asked, waits)
    SELECT w.user_id, r.items, r.times, w.asked, r.waits
    FROM (SELECT user_id, array_agg(item_id ORDER BY position) AS asked FROM wanted GROUP BY user_id) w,
         LATERAL like_limit('{}', '{}', w.asked, now(), :per_item::integer, :per_user::integer) r
    ORDER BY w.user_id
    ON CONFLICT (user_id) DO UPDATE SET asked = excluded.asked,
        (items, times, waits) = (SELECT r.items, r.times, r.waits
            FROM like_limit(u.items, u.times, excluded.asked, now(), :per_item::integer, :per_user::integer) r)
    RETURNING u.user_id, u.asked, u.waits
), decided AS (
    SELECT l.user_id, d.item_id, d.wait FROM limited l, unnest(l.asked, l.waits) AS d(item_id, wait)
), granted AS (
    SELECT item_id, user_id FROM decided WHERE wait = 0
), changed AS (
    DELETE FROM likes l USING granted a
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
SELECT ch.user_id IS NOT NULL AS changed, co.likes AS new_count, a.barred,
       CASE WHEN ch.user_id IS NULL
            THEN EXISTS (SELECT 1 FROM likes l WHERE l.item_id = a.item_id AND l.user_id = a.user_id) END AS seen,
       CASE WHEN ch.user_id IS NULL
            THEN (SELECT s.likes FROM like_counts s WHERE s.item_id = a.item_id) END AS seen_count,
       CASE WHEN ch.user_id IS NULL
            THEN (SELECT d.wait FROM decided d WHERE d.item_id = a.item_id AND d.user_id = a.user_id) END AS wait
FROM asked a
LEFT JOIN changed ch ON ch.item_id = a.item_id AND ch.user_id = a.user_id
LEFT JOIN counted co ON co.item_id = a.item_id
ORDER BY a.position
;
