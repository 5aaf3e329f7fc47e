package dev.likes.events;

import io.vertx.mutiny.sqlclient.Row;

/**
 * One event as published (JSON, described in openapi/likes-events.yaml): {@code eventId} orders an
 * item's events and is unique, for consumers to drop the duplicates that at-least-once delivery
 * allows; {@code likes} is the item's count right after the change; {@code at} its time (ISO-8601, UTC).
 */
public record LikeEvent(long eventId, String type, String itemId, String userId, long likes, String at) {

    /** The event of an outbox row (type, item_id, user_id, likes, at), with its id. */
    static LikeEvent of(Row row, long eventId) {
        return new LikeEvent(eventId, row.getString("type"), row.getString("item_id"), row.getString("user_id"),
                row.getLong("likes"), row.getOffsetDateTime("at").toInstant().toString());
    }
}
