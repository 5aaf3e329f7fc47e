-- variant: LIKE ENFORCED OFF (dev.likes.likes.ClickStatement: direction, limits, events)
-- Likes of ONE hot item ("2000001", outside the seeded and uniform ranges; the wrk hot item is
-- "2000002") by random users: every client queues on the same counter row. Users are drawn from a
-- billion so that nearly every like adds a row (a repeat would be a cheaper no-op).
-- The statement below is the service's SQL verbatim, line for line, with only its parameters
-- replaced: $1::varchar[] -> ARRAY[:item]::varchar[], $2::varchar[] -> ARRAY[:user]::varchar[],
-- $3::timestamptz -> now(), $4/$5::integer -> :per_item/:per_user::integer (the toggle limits,
-- as production runs them: 10 changes per item and 120 in all per user per minute).
-- The lone ";" after it ends the command for pgbench (a command may span lines up to its ";").
\set per_item 10
\set per_user 120
\set item 2000001
\set user random(1, 1000000000)
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
    WHERE NOT EXISTS (SELECT 1 FROM likes l WHERE l.item_id = a.item_id AND l.user_id = a.user_id)
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
    INSERT INTO likes (item_id, user_id, created_at)
    SELECT item_id, user_id, now() FROM granted ORDER BY item_id, user_id
    ON CONFLICT (item_id, user_id) DO NOTHING
    RETURNING item_id, user_id
), gained AS (
    SELECT item_id, count(*) AS n FROM changed GROUP BY item_id
), bucketed AS (
    INSERT INTO like_buckets AS b (item_id, minute, likes)
    SELECT item_id, date_trunc('minute', now()), n FROM gained ORDER BY item_id
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
           g.n, g.n * likes_hot_term(now(), f.base, f.half_life), f.base, f.half_life
    FROM levelled g CROSS JOIN (SELECT base, half_life FROM like_hot LIMIT 1) f
    ORDER BY g.item_id
    ON CONFLICT (item_id) DO UPDATE SET likes = c.likes + excluded.likes,
        likes_hour = c.likes_hour + excluded.likes_hour,
        likes_day = c.likes_day + excluded.likes_day,
        likes_week = c.likes_week + excluded.likes_week,
        hot = c.hot + excluded.likes * likes_hot_term(now(), likes_hot_frame(c.hot, c.hot_base, c.hot_half_life, excluded.hot_base, excluded.hot_half_life), c.hot_half_life),
        hot_base = likes_hot_frame(c.hot, c.hot_base, c.hot_half_life, excluded.hot_base, excluded.hot_half_life)
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
