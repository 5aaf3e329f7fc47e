package dev.likes.events;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.likes.db.Writes;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The relay's side of the outbox on Citus (V11__citus_events.sql), where it is spread over the
 * workers with the likes and each item's events are ordered by their {@code item_seq}, not by a
 * sequence. The relay walks the outbox in key order (item, then item_seq) from where its last
 * published round ended, back to the start when it reaches the end: an item's events come in their
 * order, each visible one before any that follows it (an item's later event commits only after its
 * earlier ones, under the item's counter lock), and every item has its turn within one walk.
 *
 * <p>Before an event is first sent it gets its {@code event_id} from the coordinator's sequence,
 * written to its row in the same round, before the send: in key order, so an item's later event
 * gets the higher id; a round that goes again sends the ids already written. Only the leader's
 * fenced connection writes them (see dev.likes.ha.LeaderPool), and those commits wait for the disk:
 * an id once sent is never replaced by another.
 */
@ApplicationScoped
public class ShardedOutbox implements RelaySource {

    private static final String COLUMNS = "SELECT item_id, item_seq, event_id, type, user_id, likes, at FROM like_events";

    /** The first events in key order: $1 how many at most. */
    static final String FIRST = COLUMNS + " ORDER BY item_id, item_seq LIMIT $1";

    /** The events after $2/$3 (item, item_seq) in key order: $1 how many at most. */
    static final String AFTER = COLUMNS + " WHERE (item_id, item_seq) > ($2, $3) ORDER BY item_id, item_seq LIMIT $1";

    /** $1 event ids, in the order drawn. */
    static final String IDS = "SELECT nextval('like_event_ids') AS id FROM generate_series(1, $1)";

    /** Writes the ids: $1 items, $2 their item_seq, $3 their ids; only to rows still without one. */
    static final String NUMBER = """
            UPDATE like_events e SET event_id = v.id
            FROM unnest($1::varchar[], $2::bigint[], $3::bigint[]) AS v(item_id, item_seq, id)
            WHERE e.item_id = v.item_id AND e.item_seq = v.item_seq AND e.event_id IS NULL""";

    /** Deletes published events: $1 their items (so that Citus asks only their shards), $2 their ids. */
    static final String PUBLISHED = "DELETE FROM like_events WHERE item_id = ANY($1) AND event_id = ANY($2)";

    /** A count of the outbox (spread over the shards, it has no one sequence's span to read). */
    static final String BACKLOG = """
            SELECT count(*) AS pending, coalesce(extract(epoch FROM clock_timestamp() - min(at)), 0)::float8 AS oldest
            FROM like_events""";

    /** Where the walk goes on from: after the last published event (null: from the start). Used on the relay's context only. */
    private Key resume;
    /** The last event of the round under way: {@link #resume} once the round is published. */
    private Key reached;

    @Override
    public Uni<List<LikeEvent>> next(SqlClient relay, int limit) {
        return read(relay, limit, resume).flatMap(rows -> rows.size() == 0 && resume != null ? read(relay, limit, null) : Uni.createFrom().item(rows))
                .flatMap(rows -> numbered(relay, rows));
    }

    private Uni<RowSet<Row>> read(SqlClient relay, int limit, Key after) {
        return after == null ? relay.preparedQuery(FIRST).execute(Tuple.of(limit))
                : relay.preparedQuery(AFTER).execute(Tuple.of(limit, after.itemId(), after.itemSeq()));
    }

    /** The rows as events, ids drawn and written first for those that have none yet. */
    private Uni<List<LikeEvent>> numbered(SqlClient relay, RowSet<Row> rows) {
        List<Row> read = new ArrayList<>(rows.size());
        rows.forEach(read::add);
        List<Row> unnumbered = read.stream().filter(row -> row.getLong("event_id") == null).toList();
        Uni<long[]> ids = unnumbered.isEmpty() ? Uni.createFrom().item(new long[0])
                : relay.preparedQuery(IDS).execute(Tuple.of(unnumbered.size())).flatMap(drawn -> {
                    long[] sorted = new long[drawn.size()];
                    int i = 0;
                    for (Row row : drawn) {
                        sorted[i++] = row.getLong("id");
                    }
                    Arrays.sort(sorted);
                    String[] items = unnumbered.stream().map(row -> row.getString("item_id")).toArray(String[]::new);
                    Long[] seqs = unnumbered.stream().map(row -> row.getLong("item_seq")).toArray(Long[]::new);
                    Long[] boxed = Arrays.stream(sorted).boxed().toArray(Long[]::new);
                    return Writes.execute(relay, NUMBER, Tuple.of(items, seqs, boxed)).map(written -> {
                        if (written.rowCount() != sorted.length) {
                            // Only a relay that lost the lead could have numbered them meanwhile: read them again.
                            throw new IllegalStateException("events numbered by another relay; reading them again");
                        }
                        return sorted;
                    });
                });
        return ids.map(drawn -> {
            List<LikeEvent> events = new ArrayList<>(read.size());
            int next = 0;
            for (Row row : read) {
                Long id = row.getLong("event_id");
                events.add(LikeEvent.of(row, id != null ? id : drawn[next++]));
            }
            reached = read.isEmpty() ? null : new Key(read.get(read.size() - 1).getString("item_id"), read.get(read.size() - 1).getLong("item_seq"));
            return events;
        });
    }

    @Override
    public Uni<Void> published(SqlClient relay, List<LikeEvent> events) {
        String[] items = events.stream().map(LikeEvent::itemId).distinct().toArray(String[]::new);
        Long[] ids = events.stream().map(LikeEvent::eventId).toArray(Long[]::new);
        return Writes.execute(relay, PUBLISHED, Tuple.of(items, ids)).invoke(deleted -> resume = reached).replaceWithVoid();
    }

    @Override
    public Uni<Backlog> backlog(SqlClient relay) {
        return relay.query(BACKLOG).execute().map(rows -> {
            Row row = rows.iterator().next();
            return new Backlog(row.getLong("pending"), row.getDouble("oldest"));
        });
    }

    /** An event's place in the walk. */
    private record Key(String itemId, long itemSeq) {
    }
}
