package dev.likes.events;

/**
 * One event as published (JSON, described in openapi/likes-events.yaml): {@code eventId} orders an
 * item's events and is unique, for consumers to drop the duplicates that at-least-once delivery
 * allows; {@code likes} is the item's count right after the change; {@code at} its time (ISO-8601, UTC).
 */
public record LikeEvent(long eventId, String type, String itemId, String userId, long likes, String at) {
}
