package dev.likes.events;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Singleton;

import dev.likes.config.EventsSwitch;
import dev.likes.db.Writes;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;


/**
 * Owns the SQL of the event outbox (see V5__like_events.sql): the part of a write statement that
 * records its events, and the relay's reads and deletes on one PostgreSQL (on the relay's own
 * connection, which {@link EventRelay} gives them; on Citus, {@link ShardedOutbox}). Events are on when Quarkus' standard {@code kafka.bootstrap.servers}
 * is set ({@link EventsSwitch}); when it is not, no statement records any.
 */
// A singleton, not application-scoped: every click calls it, so no client proxy stands in between.
@Singleton
public class OutboxStore implements RelaySource {

    /**
     * One event for each like row the statement added or removed ({@code changed}: item_id, user_id),
     * with the count its item had right after it: the statement moved the count by n at once, to C
     * ({@code counted}: item_id, likes), and its n events are numbered as if applied one after another
     * in the order {@code %3$s}: C-n+1, ..., C when they add ({@code %2$s} is "-"), C+n-1, ..., C when
     * they take away ("+"). Clicks are answered with the same numbers (dev.likes.likes.LikeStore).
     * The ids are drawn in that order (the subquery's order is the insert's), and only once the
     * statement holds the item's counter row: see V5__like_events.sql. Each row finds its item's count
     * by stacking {@code changed} and {@code counted} and taking the item's one count, not by joining
     * them: a join of two of a statement's relations may be planned as a nested loop, quadratic in the
     * batch (dev.likes.counting.CountMoves).
     */
    private static final String RECORD = """
            , events AS (
                INSERT INTO like_events (type, item_id, user_id, likes)
                SELECT type, item_id, user_id, likes FROM (
                    SELECT '%1$s' AS type, ch.item_id, ch.user_id,
                           coalesce(ch.likes, 0) %2$s (count(*) OVER (PARTITION BY ch.item_id)
                                                       - row_number() OVER (PARTITION BY ch.item_id ORDER BY %3$s)) AS likes
                    FROM (SELECT item_id, user_id, max(likes) OVER (PARTITION BY item_id) AS likes
                          FROM (SELECT item_id, user_id, NULL::bigint AS likes FROM changed
                                UNION ALL
                                SELECT item_id, NULL, likes FROM counted) changed_and_counted) ch%4$s
                    WHERE ch.user_id IS NOT NULL
                    ORDER BY %3$s
                ) ordered
            )
            """;

    /** The oldest events still to go, in order: $1 how many at most. */
    private static final String NEXT = """
            SELECT event_id, type, item_id, user_id, likes, at FROM like_events ORDER BY event_id LIMIT $1
            """;

    /** Deletes published events: $1 their ids. */
    private static final String PUBLISHED = "DELETE FROM like_events WHERE event_id = ANY($1::bigint[])";

    /**
     * How far behind the relay is, from the primary key alone: the span of the ids still there (an upper
     * bound of their number: ids of failed statements are never used) and the age of the oldest.
     */
    private static final String BACKLOG = """
            SELECT coalesce(max(event_id) - min(event_id) + 1, 0) AS pending,
                   coalesce(extract(epoch FROM clock_timestamp() - (SELECT at FROM like_events ORDER BY event_id LIMIT 1)), 0)::float8 AS oldest
            FROM like_events
            """;

    private final boolean enabled;

    public OutboxStore(EventsSwitch events) {
        this.enabled = events.on();
    }

    /** Whether events are on: whether write statements record them. */
    public boolean enabled() {
        return enabled;
    }

    /**
     * The part of a click statement that records its events: after {@code changed} and {@code counted},
     * numbered in the order of the clicks ({@code asked}, with their {@code position}).
     */
    public static String recordingClicks(EventType type) {
        return record(type, "a.position", "\n                    JOIN asked a ON a.item_id = ch.item_id AND a.user_id = ch.user_id");
    }

    /** The part of a lifecycle statement that records its events, numbered by item, then user. */
    public static String recording(EventType type) {
        return record(type, "ch.item_id, ch.user_id", "");
    }

    private static String record(EventType type, String order, String join) {
        return RECORD.formatted(type.label, type.adds ? "-" : "+", order, join);
    }

    /** The oldest events still to go, in event id order. */
    @Override
    public Uni<List<LikeEvent>> next(SqlClient relay, int limit) {
        return relay.preparedQuery(NEXT).execute(Tuple.of(limit)).map(rows -> {
            List<LikeEvent> events = new ArrayList<>(rows.size());
            rows.forEach(row -> events.add(LikeEvent.of(row, row.getLong("event_id"))));
            return events;
        });
    }

    /** Deletes events the broker has acknowledged. */
    @Override
    public Uni<Void> published(SqlClient relay, List<LikeEvent> events) {
        Long[] ids = new Long[events.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = events.get(i).eventId();
        }
        return Writes.execute(relay, PUBLISHED, Tuple.of(ids)).replaceWithVoid();
    }

    @Override
    public Uni<Backlog> backlog(SqlClient relay) {
        return relay.query(BACKLOG).execute().map(rows -> {
            Row row = rows.iterator().next();
            return new Backlog(row.getLong("pending"), row.getDouble("oldest"));
        });
    }
}
