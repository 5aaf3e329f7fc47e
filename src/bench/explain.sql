-- The read statements of the service, verbatim (a test keeps them equal to RankingStore,
-- UserLikesStore and LikersStore), prepared under the names that run.sh EXPLAINs. Parameters:
-- rankings ($1 -likes of the cursor, for hot its negated key, $2 its item id, $3 page size + 1);
-- user_likes ($1 user id, $2 the cursor's time, $3 its item id, $4 page size + 1);
-- likers ($1 item id, $2 the cursor's time, $3 its user id, $4 page size + 1).

PREPARE ranking_all AS
SELECT item_id, likes FROM like_counts c
WHERE likes > 0 AND (-likes, item_id) > ($1, $2)
  AND NOT EXISTS (SELECT 1 FROM removed_items r WHERE r.item_id = c.item_id)
ORDER BY -likes, item_id
LIMIT $3;

PREPARE ranking_hour AS
SELECT w.since, r.item_id, r.likes
FROM like_windows w
LEFT JOIN LATERAL (
    SELECT item_id, likes_hour AS likes FROM like_counts c
    WHERE likes_hour > 0 AND (-likes_hour, item_id) > ($1, $2)
      AND NOT EXISTS (SELECT 1 FROM removed_items r WHERE r.item_id = c.item_id)
    ORDER BY -likes_hour, item_id
    LIMIT $3
) r ON true
WHERE w.name = 'hour'
ORDER BY r.likes DESC, r.item_id;

PREPARE ranking_day AS
SELECT w.since, r.item_id, r.likes
FROM like_windows w
LEFT JOIN LATERAL (
    SELECT item_id, likes_day AS likes FROM like_counts c
    WHERE likes_day > 0 AND (-likes_day, item_id) > ($1, $2)
      AND NOT EXISTS (SELECT 1 FROM removed_items r WHERE r.item_id = c.item_id)
    ORDER BY -likes_day, item_id
    LIMIT $3
) r ON true
WHERE w.name = 'day'
ORDER BY r.likes DESC, r.item_id;

PREPARE ranking_week AS
SELECT w.since, r.item_id, r.likes
FROM like_windows w
LEFT JOIN LATERAL (
    SELECT item_id, likes_week AS likes FROM like_counts c
    WHERE likes_week > 0 AND (-likes_week, item_id) > ($1, $2)
      AND NOT EXISTS (SELECT 1 FROM removed_items r WHERE r.item_id = c.item_id)
    ORDER BY -likes_week, item_id
    LIMIT $3
) r ON true
WHERE w.name = 'week'
ORDER BY r.likes DESC, r.item_id;

PREPARE ranking_hot AS
SELECT item_id, likes, likes_hot_rank(hot, hot_base, hot_half_life) AS heat, hot_half_life FROM like_counts c
WHERE hot > 0 AND (-likes_hot_rank(hot, hot_base, hot_half_life), item_id) > ($1, $2)
  AND NOT EXISTS (SELECT 1 FROM removed_items r WHERE r.item_id = c.item_id)
ORDER BY -likes_hot_rank(hot, hot_base, hot_half_life), item_id
LIMIT $3;

PREPARE user_likes AS
SELECT item_id, created_at FROM likes
WHERE user_id = $1
  AND created_at <= $2 AND (created_at < $2 OR item_id > $3)
ORDER BY created_at DESC, item_id
LIMIT $4;

PREPARE likers AS
SELECT user_id, created_at FROM likes l
WHERE item_id = $1
  AND created_at <= $2 AND (created_at < $2 OR user_id > $3)
  AND NOT EXISTS (SELECT 1 FROM suspended_users s WHERE s.user_id = l.user_id)
  AND NOT EXISTS (SELECT 1 FROM removed_items r WHERE r.item_id = $1)
ORDER BY created_at DESC, user_id
LIMIT $4;
