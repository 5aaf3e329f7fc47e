-- The benchmark's data (src/bench/run.sh, src/bench/reads/run.sh): items "1"..:items, item i liked by
-- 1 + i % 19 distinct users out of "1"..:items (about 10 each), dated evenly over the last 8 days;
-- then the trending-window buckets and every count (the hot score too), derived from the rows as the service's
-- statements would have made them, so the data starts exact. One transaction, so that the aging job
-- sees the buckets only together with their counts. psql -v items=1000000 -f seed.sql
BEGIN;
INSERT INTO likes (item_id, user_id, created_at)
SELECT i::text, ((i::bigint * 7919 + k * 104729) % :items + 1)::text,
       now() - ((i::bigint * 31 + k * 977) % 691200) * interval '1 second'
FROM generate_series(1, :items) AS i, generate_series(1, 1 + i % 19) AS k;
INSERT INTO like_buckets (item_id, minute, likes, counted_in)
SELECT item_id, minute, count(*),
       CASE WHEN minute >= w.hour THEN 3 WHEN minute >= w.day THEN 2 ELSE 1 END
FROM (SELECT item_id, date_trunc('minute', created_at) AS minute FROM likes) l,
     (SELECT max(since) FILTER (WHERE name = 'hour') AS hour, max(since) FILTER (WHERE name = 'day') AS day,
             max(since) FILTER (WHERE name = 'week') AS week FROM like_windows) w
WHERE minute >= w.week
GROUP BY item_id, minute, w.hour, w.day;
INSERT INTO like_counts (item_id, likes, likes_hour, likes_day, likes_week, hot, hot_base, hot_half_life)
SELECT item_id, l.n, coalesce(b.hour, 0), coalesce(b.day, 0), coalesce(b.week, 0), l.hot, f.base, f.half_life
FROM like_hot f,
     (SELECT item_id, count(*) AS n, sum(likes_hot_term(created_at, f.base, f.half_life)) AS hot
      FROM likes, like_hot f GROUP BY item_id) l
LEFT JOIN (SELECT item_id, sum(likes) FILTER (WHERE counted_in = 3) AS hour,
                  sum(likes) FILTER (WHERE counted_in >= 2) AS day, sum(likes) AS week
           FROM like_buckets GROUP BY item_id) b USING (item_id);
COMMIT;
