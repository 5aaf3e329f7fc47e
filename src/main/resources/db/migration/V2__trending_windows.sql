-- Trending windows: per item, the likes created in the last hour, day and week that still stand.
--
-- like_buckets holds, per item and minute, the standing likes created in that minute, and which
-- windows still count that minute (counted_in 3: hour, day and week; 2: day and week; 1: week).
-- Every statement that changes a bucket's likes or its counted_in moves the item's window counts in
-- like_counts by the same amount, while it holds the bucket's row lock. So each window count is
-- always the sum of the buckets that window still counts, and those are rows of the likes table.
-- The aging job (dev.likes.ranking.WindowAging) moves minutes out of windows and deletes buckets
-- older than a week; like_windows records how far each window has been aged.

CREATE TABLE like_windows (
    name  varchar(8) NOT NULL,
    since timestamptz NOT NULL,
    CONSTRAINT like_windows_pkey PRIMARY KEY (name)
);

INSERT INTO like_windows (name, since) VALUES
    ('hour', date_trunc('minute', now()) - interval '1 hour'),
    ('day', date_trunc('minute', now()) - interval '24 hours'),
    ('week', date_trunc('minute', now()) - interval '7 days');

CREATE TABLE like_buckets (
    item_id    varchar(64) COLLATE "C" NOT NULL,
    minute     timestamptz NOT NULL,
    likes      bigint NOT NULL,
    counted_in smallint NOT NULL DEFAULT 3,
    CONSTRAINT like_buckets_pkey PRIMARY KEY (item_id, minute),
    CONSTRAINT like_buckets_not_negative CHECK (likes >= 0),
    CONSTRAINT like_buckets_counted_in CHECK (counted_in BETWEEN 1 AND 3)
);

-- The aging job takes the oldest minutes of one window at a time.
CREATE INDEX like_buckets_aging ON like_buckets (counted_in, minute);

ALTER TABLE like_counts
    ADD COLUMN likes_hour bigint NOT NULL DEFAULT 0,
    ADD COLUMN likes_day  bigint NOT NULL DEFAULT 0,
    ADD COLUMN likes_week bigint NOT NULL DEFAULT 0,
    ADD CONSTRAINT like_counts_windows_not_negative CHECK (likes_hour >= 0 AND likes_day >= 0 AND likes_week >= 0);

-- One ranking index per window, like like_counts_ranking.
CREATE INDEX like_counts_ranking_hour ON like_counts ((-likes_hour), item_id) WHERE likes_hour > 0;
CREATE INDEX like_counts_ranking_day ON like_counts ((-likes_day), item_id) WHERE likes_day > 0;
CREATE INDEX like_counts_ranking_week ON like_counts ((-likes_week), item_id) WHERE likes_week > 0;

-- Likes made before this migration enter the windows they fall in.
INSERT INTO like_buckets (item_id, minute, likes, counted_in)
SELECT item_id, minute, count(*),
       CASE WHEN minute >= (SELECT since FROM like_windows WHERE name = 'hour') THEN 3
            WHEN minute >= (SELECT since FROM like_windows WHERE name = 'day') THEN 2
            ELSE 1 END
FROM (SELECT item_id, date_trunc('minute', created_at) AS minute FROM likes) l
WHERE minute >= (SELECT since FROM like_windows WHERE name = 'week')
GROUP BY item_id, minute;

UPDATE like_counts c
SET likes_hour = b.hour, likes_day = b.day, likes_week = b.week
FROM (SELECT item_id,
             coalesce(sum(likes) FILTER (WHERE counted_in = 3), 0) AS hour,
             coalesce(sum(likes) FILTER (WHERE counted_in >= 2), 0) AS day,
             sum(likes) AS week
      FROM like_buckets GROUP BY item_id) b
WHERE c.item_id = b.item_id;
