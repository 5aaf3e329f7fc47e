-- The outbox of like events (see dev.likes.events): while events are on (a Kafka broker is
-- configured), every statement that adds or removes like rows records one event a row here, in that
-- same statement, with the item's count after it. The relay publishes them to Kafka in event_id order
-- and deletes them once the broker has acknowledged them, so the table holds only what is still
-- to go. With events off, nothing writes here.
--
-- event_id orders each item's events: an event gets its id after its statement has locked the
-- item's counter row (like_counts), so an item's later change always gets a higher id. That needs
-- ids handed out one at a time (CACHE 1, the default): a per-session cache would give a later change
-- a lower id.
CREATE TABLE like_events (
    event_id bigint GENERATED ALWAYS AS IDENTITY (CACHE 1),
    type     varchar(16) NOT NULL,
    item_id  varchar(64) COLLATE "C" NOT NULL,
    user_id  varchar(64) COLLATE "C" NOT NULL,
    likes    bigint NOT NULL,
    at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT like_events_pkey PRIMARY KEY (event_id),
    CONSTRAINT like_events_type CHECK (type IN ('liked', 'unliked', 'erased', 'removed', 'suspended', 'reinstated'))
);

-- Rows live for milliseconds while the relay keeps up: vacuum often, so that the relay's
-- ordered scan does not wade through dead rows.
ALTER TABLE like_events SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000,
                             autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 10000);
