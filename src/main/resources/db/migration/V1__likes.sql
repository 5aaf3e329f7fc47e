-- A like is a row; the count is derived data that moves in the same statement that adds or
-- removes a row, so counting the rows of an item must always give its count.
-- Ids compare in code-point order (COLLATE "C") so ranking ties sort the same on every server.

CREATE TABLE likes (
    item_id    varchar(64) COLLATE "C" NOT NULL,
    user_id    varchar(64) COLLATE "C" NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT likes_pkey PRIMARY KEY (item_id, user_id)
);

-- A user's likes, newest first.
CREATE INDEX likes_by_user ON likes (user_id, created_at DESC, item_id);

CREATE TABLE like_counts (
    item_id varchar(64) COLLATE "C" NOT NULL,
    likes   bigint NOT NULL DEFAULT 0,
    CONSTRAINT like_counts_pkey PRIMARY KEY (item_id),
    CONSTRAINT like_counts_not_negative CHECK (likes >= 0)
);

-- Rankings walk this index: most likes first, ties by item id. Items at 0 stay out of it.
-- The count is negated so that one ascending row comparison seeks straight to a cursor.
CREATE INDEX like_counts_ranking ON like_counts ((-likes), item_id) WHERE likes > 0;
