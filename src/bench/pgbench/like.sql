-- One like of a random (item, user) pair, as PUT /v1/items/{item}/likes/{user} sends it:
-- items "1".."100000", users "1".."1000000" (numeric strings, the id space of the wrk workloads).
-- The statement below is the service's SQL verbatim, line for line, with only its parameters
-- replaced: $1::varchar[] -> ARRAY[:item]::varchar[], $2::varchar[] -> ARRAY[:user]::varchar[].
-- The lone ";" after it ends the command for pgbench (a command may span lines up to its ";").
\set item random(1, 100000)
\set user random(1, 1000000)
WITH asked AS (
    SELECT item_id, user_id, position
    FROM unnest(ARRAY[:item]::varchar[], ARRAY[:user]::varchar[]) WITH ORDINALITY AS a(item_id, user_id, position)
), changed AS (
    INSERT INTO likes (item_id, user_id)
    SELECT item_id, user_id FROM asked ORDER BY item_id, user_id
    ON CONFLICT (item_id, user_id) DO NOTHING
    RETURNING item_id, user_id
), counted AS (
    INSERT INTO like_counts AS c (item_id, likes)
    SELECT item_id, count(*) FROM changed GROUP BY item_id ORDER BY item_id
    ON CONFLICT (item_id) DO UPDATE SET likes = c.likes + excluded.likes
    RETURNING c.item_id, c.likes
)
SELECT ch.user_id IS NOT NULL AS changed, co.likes AS new_count,
       CASE WHEN ch.user_id IS NULL
            THEN EXISTS (SELECT 1 FROM likes l WHERE l.item_id = a.item_id AND l.user_id = a.user_id) END AS seen,
       CASE WHEN ch.user_id IS NULL
            THEN (SELECT s.likes FROM like_counts s WHERE s.item_id = a.item_id) END AS seen_count
FROM asked a
LEFT JOIN changed ch ON ch.item_id = a.item_id AND ch.user_id = a.user_id
LEFT JOIN counted co ON co.item_id = a.item_id
ORDER BY a.position
;
