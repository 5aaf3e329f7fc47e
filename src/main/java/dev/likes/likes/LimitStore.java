package dev.likes.likes;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import dev.likes.citus.CitusCluster;
import dev.likes.db.Writes;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Owns the SQL of the toggle-storm limits (see V3__change_limits.sql): the part of each click
 * statement that decides which clicks the limits allow, and the leader's cleanup of idle users.
 */
@ApplicationScoped
public class LimitStore {

    /**
     * The first part of a limited click statement, after {@code allowed}. {@code wanted} are the clicks
     * that would change something in the statement's snapshot (a like where there is no row: the
     * {@code %s} is "NOT" for likes, empty for unlikes); repeats are never limited and never written.
     * Each user's wanted items go to like_limit() under the user's row lock (rows taken in user order,
     * before any like row, bucket or counter), which appends the granted ones to the user's log:
     * concurrent statements of one user, on any replica, take turns and see each other's changes.
     * {@code decided} answers 0 or the seconds to wait per wanted click, {@code granted} the clicks to write.
     * A granted click may still find nothing to do (the same user's other click got there first); it
     * then counts toward the limit all the same, which errs on the strict side.
     */
    static final String DECIDED = """
            , wanted AS (
                SELECT a.item_id, a.user_id, a.position FROM allowed a
                WHERE %s EXISTS (SELECT 1 FROM likes l WHERE l.item_id = a.item_id AND l.user_id = a.user_id)
            ), limited AS (
                INSERT INTO like_limits AS u (user_id, items, times, asked, waits)
                SELECT w.user_id, r.items, r.times, w.asked, r.waits
                FROM (SELECT user_id, array_agg(item_id ORDER BY position) AS asked FROM wanted GROUP BY user_id) w,
                     LATERAL like_limit('{}', '{}', w.asked, $3::timestamptz, $4::integer, $5::integer) r
                ORDER BY w.user_id
                ON CONFLICT (user_id) DO UPDATE SET asked = excluded.asked,
                    (items, times, waits) = (SELECT r.items, r.times, r.waits
                        FROM like_limit(u.items, u.times, excluded.asked, $3::timestamptz, $4::integer, $5::integer) r)
                RETURNING u.user_id, u.asked, u.waits
            ), decided AS (
                SELECT l.user_id, d.item_id, d.wait FROM limited l, unnest(l.asked, l.waits) AS d(item_id, wait)
            ), granted AS (
                SELECT item_id, user_id FROM decided WHERE wait = 0
            )""";

    /** A click's seconds to wait, in the statement's answer: above 0 when the limits refused it. */
    static final String WAIT = """
            CASE WHEN ch.user_id IS NULL
                        THEN (SELECT d.wait FROM decided d WHERE d.item_id = a.item_id AND d.user_id = a.user_id) END""";

    /**
     * Forgets users whose latest change is over a minute old ($1): nothing of theirs can limit anyone.
     * At most $2 a statement, the next ones after user $3 in user order (the order clicks lock them in;
     * a pass walks the table once), skipping rows a click holds, so that the cleanup never waits for a
     * click nor makes one wait long. The condition is checked again on a row that a click changed
     * meanwhile. Answers how many it took and the last of them, where the next statement goes on.
     */
    static final String FORGET = """
            WITH idle AS (
                SELECT user_id FROM like_limits
                WHERE user_id > $3 AND (SELECT coalesce(max(t), '-infinity') FROM unnest(times) t) <= $1
                ORDER BY user_id
                LIMIT $2
                FOR UPDATE SKIP LOCKED
            ), gone AS (
                DELETE FROM like_limits u USING idle
                WHERE u.user_id = idle.user_id
                  AND (SELECT coalesce(max(t), '-infinity') FROM unnest(u.times) t) <= $1
            )
            SELECT count(*) AS taken, max(user_id) AS last FROM idle
            """;

    static final int FORGET_BATCH = 1000;

    /**
     * On Citus, which runs no multi-shard FOR UPDATE: the idle users go in one DELETE that each shard
     * runs over its own rows (the users active in about the last minute: a bounded set). It waits for
     * a click that holds one of its rows for as long as that click's short call lasts.
     */
    static final String FORGET_SHARDED = "DELETE FROM like_limits WHERE (SELECT coalesce(max(t), '-infinity') FROM unnest(times) t) <= $1";

    private final CitusCluster citus;

    public LimitStore(CitusCluster citus) {
        this.citus = citus;
    }

    /**
     * Forgets every user idle since {@code before}, a bounded batch per statement, in one walk of the
     * table, through {@code client} (the leader's).
     */
    Uni<Void> forgetIdleSince(SqlClient client, Instant before) {
        OffsetDateTime idleSince = OffsetDateTime.ofInstant(before, ZoneOffset.UTC);
        if (citus.active()) {
            return Writes.execute(client, FORGET_SHARDED, Tuple.of(idleSince)).replaceWithVoid();
        }
        AtomicReference<String> after = new AtomicReference<>("");
        return Multi.createBy().repeating()
                .uni(() -> Writes.execute(client, FORGET, Tuple.of(idleSince, FORGET_BATCH, after.get())).map(rows -> {
                    Row row = rows.iterator().next();
                    if (row.getString("last") != null) {
                        after.set(row.getString("last"));
                    }
                    return row.getLong("taken");
                }))
                .whilst(taken -> taken == FORGET_BATCH)
                .collect().last().replaceWithVoid();
    }
}
