package dev.likes.events;

import java.util.List;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * The relay's side of the outbox, on the relay's own connection: the events to send next (each item's
 * in its order), deleting those the broker has acknowledged, and how far behind the relay is. One
 * PostgreSQL's ({@link OutboxStore}) and a Citus cluster's ({@link ShardedOutbox}).
 */
interface RelaySource {

    /** Up to {@code limit} events still to go, each item's in order, each with its event id. */
    Uni<List<LikeEvent>> next(SqlClient relay, int limit);

    /** Deletes events the broker has acknowledged (the last {@link #next} answered them). */
    Uni<Void> published(SqlClient relay, List<LikeEvent> events);

    /** The outbox's backlog: events at most, and the oldest one's age in seconds. */
    Uni<Backlog> backlog(SqlClient relay);

    /** How far behind the relay is. */
    record Backlog(long pending, double oldestSeconds) {
    }
}
