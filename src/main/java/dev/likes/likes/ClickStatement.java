package dev.likes.likes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.likes.counting.CountMoves;
import dev.likes.db.PreparedStatements;
import dev.likes.events.EventType;
import dev.likes.events.OutboxStore;

/**
 * The click statement, one variant of it: one statement writes a batch of likes (or of unlikes) and
 * moves each item's counts in that same statement, by the number of rows really added or removed
 * ({@link CountMoves}). The database does the arithmetic, so concurrent clicks can neither lose nor
 * double a count. A variant is a direction, whether the toggle limits decide first which clicks may
 * change anything ({@link LimitStore#DECIDED}), and whether events are recorded (dev.likes.events).
 * Parameters: $1 item ids, $2 user ids, $3 the clicks' time, and with limits $4 and $5, the changes
 * allowed per item and per user per minute (an unlike without limits has no $3).
 *
 * <p>Each variant is assembled from {@link Part parts}, in order; a part says which relations (CTEs)
 * it defines and which it needs from the parts before it, and a variant whose parts do not fit fails
 * as this class loads. The benchmark's pgbench scripts name the variant they send (a test keeps them
 * equal to it). Each variant is longer than Vert.x keeps prepared by itself, so it is named to
 * {@link PreparedStatements}.
 *
 * <p>On Citus a batch is one call per shard group ({@link #ON_SHARD_GROUP}, the PL/pgSQL function
 * {@code likes_click_group} of V6__citus.sql). It does, item by item, what the parts do for the
 * batch: {@code asked} (the suspended-user and removed-item checks, in that order), then
 * {@code likes} (an insert per click, one bucket and one counter update per item) or {@code unlikes}
 * (a delete per click, the buckets of the minutes lost, then the counter, never below 0), and answers
 * in the columns of {@code answer}. It has no {@code limits} part (ShardGroupClicks takes the
 * allowance first, by the users' shard groups: V10__citus_limits.sql); its {@code events} part is
 * {@code likes_click_recorded} ({@link #ON_SHARD_GROUP_RECORDED}, V11__citus_events.sql), which calls it
 * and then records each item's changed clicks in the order given, numbered as {@code events} numbers
 * them. ShardGroupClicksTest runs both on plain PostgreSQL against the single statement.
 */
public record ClickStatement(Direction direction, Limits limits, Events events) {

    /** Whether the toggle limits decide, in the statement, which clicks may change anything. */
    public enum Limits { OFF, ENFORCED }

    /** Whether the statement records an event per changed row in the outbox. */
    public enum Events { OFF, RECORDED }

    /**
     * On Citus, the clicks of one shard group as one call that Citus sends whole to that group's
     * worker: $1 an item of the group, $2 true for likes, $3 item ids, $4 user ids, $5 the clicks'
     * time. It answers as the statement does.
     */
    public static final String ON_SHARD_GROUP = "SELECT * FROM likes_click_group($1, $2, $3, $4, $5)";

    /** {@link #ON_SHARD_GROUP} that also records the events of what it changed (likes_click_recorded, V11__citus_events.sql). */
    public static final String ON_SHARD_GROUP_RECORDED = "SELECT * FROM likes_click_recorded($1, $2, $3, $4, $5)";

    /** The shard-group call with or without its events. */
    public static String onShardGroup(Events events) {
        return events == Events.RECORDED ? ON_SHARD_GROUP_RECORDED : ON_SHARD_GROUP;
    }

    /**
     * The clicks of one statement, in order: $1 item ids, $2 user ids; {@code barred} says why a click
     * may not change anything (its user is suspended, its item removed: see V4__lifecycle.sql and
     * {@link Barred}), and {@code allowed} are the others. Two probes of small tables' keys a click.
     */
    private static final String ASKED = """
            WITH asked AS (
                SELECT item_id, user_id, position,
                       CASE WHEN EXISTS (SELECT 1 FROM suspended_users s WHERE s.user_id = a.user_id) THEN 'suspended'
                            WHEN EXISTS (SELECT 1 FROM removed_items r WHERE r.item_id = a.item_id) THEN 'removed'
                       END AS barred
                FROM unnest($1::varchar[], $2::varchar[]) WITH ORDINALITY AS a(item_id, user_id, position)
            ), allowed AS (
                SELECT item_id, user_id, position FROM asked WHERE barred IS NULL
            )""";

    /**
     * What the statement answers for each click, in order: whether its row was added or removed, its
     * item's count after the statement, and, for a click that changed nothing, whether the statement's
     * snapshot held the like and the count in that snapshot, and the seconds to wait when the toggle
     * limits refused it ({@code %s}). The CASEs keep those lookups off every click that did change something.
     */
    private static final String ANSWER = """
            SELECT ch.user_id IS NOT NULL AS changed, co.likes AS new_count, a.barred,
                   CASE WHEN ch.user_id IS NULL
                        THEN EXISTS (SELECT 1 FROM likes l WHERE l.item_id = a.item_id AND l.user_id = a.user_id) END AS seen,
                   CASE WHEN ch.user_id IS NULL
                        THEN (SELECT s.likes FROM like_counts s WHERE s.item_id = a.item_id) END AS seen_count,
                   %s AS wait
            FROM asked a
            LEFT JOIN changed ch ON ch.item_id = a.item_id AND ch.user_id = a.user_id
            LEFT JOIN counted co ON co.item_id = a.item_id
            ORDER BY a.position
            """;

    private static final Map<ClickStatement, String> SQL = new HashMap<>();

    static {
        for (ClickStatement variant : all()) {
            SQL.put(variant, PreparedStatements.keep(assemble(variant.parts())));
        }
    }

    /**
     * A part of the statement: its SQL, the relations it defines and the relations of earlier parts it
     * reads. {@code name} is what the Citus function's comments and this class's Javadoc call it.
     */
    record Part(String name, String sql, Set<String> defines, Set<String> needs) {
    }

    /** Every variant: each direction, with and without limits, with and without events. */
    public static List<ClickStatement> all() {
        List<ClickStatement> all = new ArrayList<>();
        for (Direction direction : Direction.values()) {
            for (Limits limits : Limits.values()) {
                for (Events events : Events.values()) {
                    all.add(new ClickStatement(direction, limits, events));
                }
            }
        }
        return all;
    }

    /** The statement's SQL. */
    public String sql() {
        return SQL.get(this);
    }

    /** The parts of this variant, in the order the statement runs them. */
    List<Part> parts() {
        boolean limited = limits == Limits.ENFORCED;
        // The clicks the write parts take: all allowed ones, or those the limits granted.
        String clicks = limited ? "granted" : "allowed";
        List<Part> parts = new ArrayList<>();
        parts.add(new Part("asked", ASKED, Set.of("asked", "allowed"), Set.of()));
        if (limited) {
            parts.add(new Part("limits", LimitStore.DECIDED.formatted(direction == Direction.LIKE ? "NOT" : ""),
                    Set.of("wanted", "limited", "decided", "granted"), Set.of("allowed")));
        }
        parts.add(direction == Direction.LIKE
                ? new Part("likes", CountMoves.adding(clicks),
                        Set.of(CountMoves.CHANGED, "gained", "bucketed", "levelled", CountMoves.COUNTED), Set.of(clicks))
                : new Part("unlikes", CountMoves.removing(clicks),
                        Set.of(CountMoves.CHANGED, "lost", "held", "unbucketed", "gone", "locked", CountMoves.COUNTED), Set.of(clicks)));
        if (events == Events.RECORDED) {
            parts.add(new Part("events", OutboxStore.recordingClicks(direction == Direction.LIKE ? EventType.LIKED : EventType.UNLIKED),
                    Set.of("events"), Set.of(CountMoves.CHANGED, CountMoves.COUNTED, "asked")));
        }
        parts.add(limited
                ? new Part("answer", ANSWER.formatted(LimitStore.WAIT), Set.of(), Set.of("asked", CountMoves.CHANGED, CountMoves.COUNTED, "decided"))
                : new Part("answer", ANSWER.formatted("NULL::integer"), Set.of(), Set.of("asked", CountMoves.CHANGED, CountMoves.COUNTED)));
        return parts;
    }

    /** The parts' SQL, in order, once each part's needs are defined by the parts before it, and none twice. */
    static String assemble(List<Part> parts) {
        Set<String> defined = new HashSet<>();
        StringBuilder sql = new StringBuilder();
        for (Part part : parts) {
            for (String need : part.needs()) {
                if (!defined.contains(need)) {
                    throw new IllegalStateException("The part " + part.name() + " needs " + need + ", which no part before it defines");
                }
            }
            for (String relation : part.defines()) {
                if (!defined.add(relation)) {
                    throw new IllegalStateException("The part " + part.name() + " defines " + relation + " again");
                }
            }
            sql.append(part.sql());
        }
        return sql.toString();
    }
}
