-- The exactness check of a drill (deploy/ha/drill.sh, deploy/citus/drill.sh), on plain PostgreSQL
-- and on Citus alike: for the items whose id starts with :'prefix' ('' for every item), and the
-- like rows the drill's load expected (psql's standard input: item,user lines in CSV; empty for
-- none), one line of four counts:
--   lost       expected likes that are missing
--   doubled    likes that were not expected (doubled or resurrected)
--   drift      items whose counter differs from their like rows
--   wdrift     items whose window counts differ from their buckets (V2__trending_windows.sql: hour
--              = the buckets with counted_in = 3, day >= 2, week all), or whose buckets differ
--              from their like rows of each minute of the week, or whose hot score differs from the sum of
--              their rows' terms in its frame (V7__hot_ranking.sql)
-- The rows are copied into temporary tables first, so that every comparison is local (Citus
-- cannot join its distributed tables with a session's temporary ones).
-- With -v details=FILE, when something differs, the first rows of what differs also go to FILE.
CREATE TEMP TABLE expected (item_id varchar(64) COLLATE "C", user_id varchar(64) COLLATE "C");
\copy expected FROM pstdin WITH (FORMAT csv)
CREATE TEMP TABLE rows AS SELECT item_id, user_id, created_at FROM likes WHERE item_id LIKE :'prefix' || '%';
CREATE TEMP TABLE counters AS
    SELECT item_id, likes, likes_hour, likes_day, likes_week, hot, hot_base, hot_half_life
    FROM like_counts WHERE item_id LIKE :'prefix' || '%';
CREATE TEMP TABLE buckets AS SELECT item_id, minute, likes, counted_in FROM like_buckets WHERE item_id LIKE :'prefix' || '%';
-- The minutes whose rows must all be in buckets: the week's (a like older than the week has none;
-- two minutes of margin for a minute the aging job is about to move out).
SELECT since + interval '2 minutes' AS counted_from FROM like_windows WHERE name = 'week' \gset
ANALYZE expected;
ANALYZE rows;
-- What differs, a view for each kind (empty when exact): counted, and read again only to show it.
-- (Citus warns that a view of temporary tables stays on this node, as meant.)
SET client_min_messages = error;
CREATE TEMP VIEW missing AS
    SELECT e.* FROM expected e LEFT JOIN rows r USING (item_id, user_id) WHERE r.item_id IS NULL;
CREATE TEMP VIEW unexpected AS
    SELECT r.* FROM rows r LEFT JOIN expected e USING (item_id, user_id) WHERE e.item_id IS NULL;
CREATE TEMP VIEW counts_off AS
    SELECT item_id, c.likes AS counter, r.n AS like_rows FROM counters c
      FULL JOIN (SELECT item_id, count(*) AS n FROM rows GROUP BY item_id) r USING (item_id)
    WHERE coalesce(c.likes, 0) <> coalesce(r.n, 0);
CREATE TEMP VIEW windows_off AS
    SELECT item_id, c.likes_hour, c.likes_day, c.likes_week,
           b.hour AS buckets_hour, b.day AS buckets_day, b.week AS buckets_week FROM counters c
      FULL JOIN (SELECT item_id, sum(likes) FILTER (WHERE counted_in = 3) AS hour,
                        sum(likes) FILTER (WHERE counted_in >= 2) AS day, sum(likes) AS week
                 FROM buckets GROUP BY item_id) b USING (item_id)
    WHERE (coalesce(c.likes_hour, 0), coalesce(c.likes_day, 0), coalesce(c.likes_week, 0))
       <> (coalesce(b.hour, 0), coalesce(b.day, 0), coalesce(b.week, 0));
CREATE TEMP VIEW buckets_off AS
    SELECT item_id, minute, b.likes AS bucket, b.counted_in, r.n AS like_rows
    FROM (SELECT * FROM buckets WHERE minute >= :'counted_from') b
      FULL JOIN (SELECT item_id, date_trunc('minute', created_at) AS minute, count(*) AS n
                 FROM rows WHERE created_at >= :'counted_from' GROUP BY 1, 2) r USING (item_id, minute)
    WHERE coalesce(b.likes, 0) <> coalesce(r.n, 0);
CREATE TEMP VIEW hot_off AS
    SELECT c.item_id, c.hot, coalesce(h.hot, 0) AS rows_hot, c.hot_base, c.hot_half_life FROM counters c
      LEFT JOIN (SELECT r.item_id, sum(likes_hot_term(r.created_at, k.hot_base, k.hot_half_life)) AS hot
                 FROM rows r JOIN counters k USING (item_id) GROUP BY r.item_id) h USING (item_id)
    WHERE c.hot <> coalesce(h.hot, 0);
RESET client_min_messages;
SELECT (SELECT count(*) FROM missing) AS lost, (SELECT count(*) FROM unexpected) AS doubled,
       (SELECT count(*) FROM counts_off) AS drift,
       (SELECT count(DISTINCT item_id) FROM (SELECT item_id FROM windows_off UNION ALL SELECT item_id FROM buckets_off
                                             UNION ALL SELECT item_id FROM hot_off) w) AS wdrift \gset
\echo :lost :doubled :drift :wdrift
-- With -v details=FILE, when something differs: the windows' marks and the first rows of each kind.
-- (Without expected rows, lost and doubled say nothing: every row is "not expected".)
SELECT :{?details} AND (:drift + :wdrift > 0 OR (:lost + :doubled > 0 AND EXISTS (SELECT 1 FROM expected))) AS explain_it \gset
\if :explain_it
\o :details
\pset tuples_only off
\pset format aligned
SELECT now() AS checked_at, :'counted_from' AS buckets_checked_from;
SELECT name, since, now() - since AS behind_now FROM like_windows ORDER BY since DESC;
SELECT 'expected, missing' AS kind, * FROM missing ORDER BY item_id, user_id LIMIT 20;
SELECT 'not expected' AS kind, * FROM unexpected ORDER BY item_id, user_id LIMIT 20;
SELECT 'counter <> rows' AS kind, * FROM counts_off ORDER BY item_id LIMIT 20;
SELECT 'windows <> buckets' AS kind, * FROM windows_off ORDER BY item_id LIMIT 20;
SELECT 'bucket <> rows of its minute' AS kind, * FROM buckets_off ORDER BY item_id, minute LIMIT 40;
SELECT 'hot <> rows' AS kind, * FROM hot_off ORDER BY item_id LIMIT 20;
\o
\endif
