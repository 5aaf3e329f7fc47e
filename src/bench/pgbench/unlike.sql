-- One unlike of a random (item, user) pair, as DELETE /v1/items/{item}/likes/{user} sends it:
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
    DELETE FROM likes l USING asked a
    WHERE l.item_id = a.item_id AND l.user_id = a.user_id
    RETURNING l.item_id, l.user_id
), gone AS (
    SELECT item_id, count(*) AS n FROM changed GROUP BY item_id
), locked AS (
    SELECT item_id FROM like_counts
    WHERE item_id IN (SELECT item_id FROM gone)
    ORDER BY item_id
    FOR UPDATE
), counted AS (
    UPDATE like_counts AS c SET likes = greatest(c.likes - gone.n, 0)
    FROM gone JOIN locked USING (item_id)
    WHERE c.item_id = gone.item_id
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
