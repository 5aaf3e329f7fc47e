-- The lifecycle of users and items (see dev.likes.lifecycle): erasing a user's likes, removing an
-- item, suspending and reinstating a user, and who liked an item. Counts stay what they always are:
-- the number of like rows, moved in the statement that adds or removes the rows.

-- Who liked an item, newest first: one range scan of this index per page.
CREATE INDEX likes_by_item ON likes (item_id, created_at DESC, user_id);

-- Users whose likes do not count: their clicks are refused (403) while a row is here. Their likes
-- wait in suspended_likes, out of every count, until they are reinstated.
CREATE TABLE suspended_users (
    user_id varchar(64) COLLATE "C" NOT NULL,
    since   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT suspended_users_pkey PRIMARY KEY (user_id)
);

CREATE TABLE suspended_likes (
    user_id    varchar(64) COLLATE "C" NOT NULL,
    item_id    varchar(64) COLLATE "C" NOT NULL,
    created_at timestamptz NOT NULL,
    CONSTRAINT suspended_likes_pkey PRIMARY KEY (user_id, item_id)
);

-- Removed items (tombstones): their likes, counter and buckets are gone, clicks on them are refused
-- (410) and they are in no ranking. An operator lifts the tombstone to let the id start afresh.
CREATE TABLE removed_items (
    item_id    varchar(64) COLLATE "C" NOT NULL,
    removed_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT removed_items_pkey PRIMARY KEY (item_id)
);

-- The work each of those calls leaves to the leader, batch by batch, so that it survives a crash or a
-- failover. fence: the transactions under way once the call took effect (their virtual ids, taken by
-- the job's first batch; null before); a job ends only after they have, so that no click that
-- started before the change is left behind.
CREATE TABLE lifecycle_jobs (
    id           uuid NOT NULL,
    kind         varchar(16) NOT NULL,
    subject      varchar(64) COLLATE "C" NOT NULL,
    state        varchar(8) NOT NULL DEFAULT 'running',
    likes        bigint NOT NULL DEFAULT 0,
    fence        text[],
    requested_at timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    CONSTRAINT lifecycle_jobs_pkey PRIMARY KEY (id),
    CONSTRAINT lifecycle_jobs_kind CHECK (kind IN ('erase-user', 'remove-item', 'suspend-user', 'reinstate-user')),
    CONSTRAINT lifecycle_jobs_state CHECK (state IN ('running', 'done'))
);

-- At most one running erasure or removal per subject: asking again answers the one under way.
-- (Suspensions and reinstatements each get a job; the user's state decides what they move.)
CREATE UNIQUE INDEX lifecycle_jobs_running ON lifecycle_jobs (kind, subject)
    WHERE state = 'running' AND kind IN ('erase-user', 'remove-item');
CREATE INDEX lifecycle_jobs_queue ON lifecycle_jobs (requested_at) WHERE state = 'running';
