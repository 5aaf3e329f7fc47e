package dev.likes.lifecycle;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.likes.api.RetryLaterException;
import dev.likes.counting.CountMoves;
import dev.likes.db.LostRace;
import dev.likes.db.Writes;
import dev.likes.events.OutboxStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Owns the SQL of the lifecycle (see V4__lifecycle.sql): a request takes effect and records its job in
 * one statement; the job then moves the likes a bounded batch a statement, each batch moving its
 * items' counts in that same statement ({@link CountMoves#removing}, as unlikes, or
 * its reverse, {@link CountMoves#restoring}), and ends with one statement that also marks it done.
 * Requests run on the requests' pool; the jobs' statements on the client the leader gives them (its
 * fenced connections, see dev.likes.ha.LeaderPool).
 */
@ApplicationScoped
public class LifecycleStore {

    private static final String JOB_COLUMNS = "id, kind, subject, state, likes, fence, requested_at, finished_at";

    /**
     * $1 a new job id, $2 the subject, $3 the kind; {@code %s} the request's own change (a tombstone,
     * a suspension, or none). An erasure or removal already running for the subject is answered instead
     * of a new one; suspensions and reinstatements always get a job of their own, each of which moves
     * likes only while the user's state is still what it asked for, so the last request wins.
     */
    private static final String REQUEST = """
            WITH effect AS (%s), added AS (
                INSERT INTO lifecycle_jobs (id, kind, subject) VALUES ($1, $3, $2)
                ON CONFLICT (kind, subject) WHERE state = 'running' AND kind IN ('erase-user', 'remove-item') DO NOTHING
                RETURNING %s
            )
            SELECT * FROM added
            UNION ALL
            SELECT %2$s FROM lifecycle_jobs
            WHERE kind = $3 AND subject = $2 AND state = 'running' AND NOT EXISTS (SELECT 1 FROM added)
            """;

    private static final Map<JobKind, String> EFFECTS = new EnumMap<>(Map.of(
            JobKind.ERASE_USER, "SELECT 1",
            JobKind.REMOVE_ITEM, "INSERT INTO removed_items (item_id) VALUES ($2) ON CONFLICT DO NOTHING",
            JobKind.SUSPEND_USER, "INSERT INTO suspended_users (user_id) VALUES ($2) ON CONFLICT DO NOTHING",
            JobKind.REINSTATE_USER, "DELETE FROM suspended_users WHERE user_id = $2"));

    /**
     * One batch of a job: $1 the job, $2 its subject, $3 the batch size, $4 now. Answers how many rows
     * it took (a batch that takes fewer than the batch size was the last), how many like rows moved
     * (fewer when a click got to some first) and the items whose counts changed; adds the moved rows
     * to the job's progress. ({@code at} only gives $4 a type in the kinds whose SQL does not use it.)
     */
    private static final String STEP = """
            WITH %s
            %s
            , progress AS (
                UPDATE lifecycle_jobs SET likes = likes + (SELECT count(*) FROM changed) WHERE id = $1
            )%s
            SELECT (SELECT count(*) FROM batch) AS taken, (SELECT count(*) FROM changed) AS moved,
                   ARRAY(SELECT item_id FROM counted) AS items, $4::timestamptz AS at
            """;

    /** Each kind's batch: what it takes, its SQL that moves the likes, and what else it does. */
    private static final Map<JobKind, String[]> STEP_PARTS = new EnumMap<>(Map.of(
            JobKind.ERASE_USER, new String[] {"batch AS (SELECT item_id, user_id FROM likes WHERE user_id = $2 LIMIT $3)",
                    CountMoves.removing("batch"), ""},
            JobKind.REMOVE_ITEM, new String[] {"batch AS (SELECT item_id, user_id FROM likes WHERE item_id = $2 ORDER BY user_id LIMIT $3)",
                    CountMoves.removing("batch"), ""},
            // The suspended rows are kept, out of every count, to come back when the user is reinstated.
            // Only while the user is suspended: a job that a reinstatement overtook takes nothing.
            JobKind.SUSPEND_USER, new String[] {"""
                    batch AS (
                        SELECT item_id, user_id FROM likes
                        WHERE user_id = $2 AND EXISTS (SELECT 1 FROM suspended_users WHERE user_id = $2)
                        LIMIT $3
                    )""",
                    CountMoves.removing("batch"), """
                    , set_aside AS (
                        INSERT INTO suspended_likes (user_id, item_id, created_at)
                        SELECT user_id, item_id, created_at FROM changed
                        ON CONFLICT (user_id, item_id) DO UPDATE SET created_at = excluded.created_at
                    )"""},
            // Only while the user is not suspended (again). Likes of items removed meanwhile do not come
            // back; the rows leave suspended_likes all the same.
            JobKind.REINSTATE_USER, new String[] {"""
                    batch AS (
                        DELETE FROM suspended_likes s
                        WHERE s.user_id = $2 AND s.item_id IN (
                            SELECT item_id FROM suspended_likes WHERE user_id = $2 ORDER BY item_id LIMIT $3)
                          AND NOT EXISTS (SELECT 1 FROM suspended_users u WHERE u.user_id = $2)
                        RETURNING s.item_id, s.user_id, s.created_at
                    ), kept AS (
                        SELECT * FROM batch b WHERE NOT EXISTS (SELECT 1 FROM removed_items r WHERE r.item_id = b.item_id)
                    )""",
                    CountMoves.restoring("kept", "$4"), ""}));

    /** The job's last statement: what is left of its subject goes, and the job is done. $1 the job, $2 its subject. */
    private static final String FINISH = """
            WITH %s
            UPDATE lifecycle_jobs SET state = 'done', finished_at = now() WHERE id = $1 AND subject = $2 AND state = 'running'
            """;

    private static final Map<JobKind, String> FINISHES = new EnumMap<>(Map.of(
            // An erased user's suspended likes go too.
            JobKind.ERASE_USER, FINISH.formatted("held AS (DELETE FROM suspended_likes WHERE user_id = $2)"),
            // Its like rows are gone: so go its buckets and counter (all at 0 now: a bucket or counter that
            // is not, or a tombstone lifted meanwhile, means likes it must keep), and suspended likes of it.
            JobKind.REMOVE_ITEM, FINISH.formatted("""
                    removed AS (SELECT EXISTS (SELECT 1 FROM removed_items WHERE item_id = $2) AS still),
                    buckets AS (DELETE FROM like_buckets WHERE item_id = $2 AND likes = 0 AND (SELECT still FROM removed)),
                    counter AS (DELETE FROM like_counts WHERE item_id = $2 AND (SELECT still FROM removed)
                                AND likes = 0 AND likes_hour = 0 AND likes_day = 0 AND likes_week = 0),
                    held AS (DELETE FROM suspended_likes WHERE item_id = $2 AND (SELECT still FROM removed))"""),
            JobKind.SUSPEND_USER, FINISH.formatted("nothing_left AS (SELECT 1)"),
            JobKind.REINSTATE_USER, FINISH.formatted("nothing_left AS (SELECT 1)")));

    /**
     * The transactions in this database that hold a snapshot now (their virtual ids), but this one.
     * Taken after a request took effect: a click whose statement's snapshot predates the request is
     * among them. A transaction that holds none (one idle between statements at READ COMMITTED, as a
     * forgotten console or an open report usually is) takes a new snapshot for its next statement,
     * which sees the request: it is not waited for.
     */
    private static final String FENCE = """
            UPDATE lifecycle_jobs SET fence = coalesce((
                SELECT array_agg(l.virtualxid) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'virtualxid' AND l.granted AND a.datname = current_database()
                  AND a.backend_type = 'client backend' AND a.pid <> pg_backend_pid()
                  AND a.backend_xmin IS NOT NULL), '{}')
            WHERE id = $1
            RETURNING fence
            """;

    /**
     * Whether every transaction of a fence has ended ($1), or the request ($2, when it took effect) is
     * older than the longest wait ($3 milliseconds): by then every click statement that could have
     * missed it has ended (statements are cancelled sooner), and what still holds an old snapshot is
     * not a click of the service's.
     */
    private static final String FENCE_PASSED = """
            SELECT NOT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'virtualxid' AND virtualxid = ANY($1::text[]))
                OR now() >= $2::timestamptz + $3 * interval '1 millisecond'
            """;

    /** Running jobs after the one of $2 (requested at $3; none: from the oldest), oldest first, $1 at most. */
    private static final String RUNNING = "SELECT " + JOB_COLUMNS + """
             FROM lifecycle_jobs WHERE state = 'running' AND ($2::uuid IS NULL OR (requested_at, id) > ($3, $2))
            ORDER BY requested_at, id LIMIT $1""";

    private static final String JOB = "SELECT " + JOB_COLUMNS + " FROM lifecycle_jobs WHERE id = $1";

    /** Lifts an item's tombstone unless its removal is still under way. */
    private static final String LIFT = """
            WITH busy AS (
                SELECT EXISTS (SELECT 1 FROM lifecycle_jobs WHERE kind = 'remove-item' AND subject = $1 AND state = 'running') AS busy
            ), lifted AS (
                DELETE FROM removed_items WHERE item_id = $1 AND NOT (SELECT busy FROM busy) RETURNING item_id
            )
            SELECT (SELECT busy FROM busy) AS busy, (SELECT count(*) FROM lifted) AS lifted
            """;

    private static final String SUSPENSION = "SELECT since FROM suspended_users WHERE user_id = $1";

    private final Pool pool;
    /** Each kind's batch statement, recording events when they are on (see dev.likes.events). */
    private final Map<JobKind, String> steps = new EnumMap<>(JobKind.class);

    public LifecycleStore(Pool pool, OutboxStore outbox) {
        this.pool = pool;
        STEP_PARTS.forEach((kind, parts) -> steps.put(kind, STEP.formatted(parts[0], parts[1],
                parts[2] + (outbox.enabled() ? OutboxStore.recording(kind.event) : ""))));
    }

    /** Makes the request take effect and records its job, or answers the same request's running job. */
    Uni<LifecycleJob> request(JobKind kind, String subject) {
        return request(kind, subject, 3);
    }

    private Uni<LifecycleJob> request(JobKind kind, String subject, int attempts) {
        String sql = REQUEST.formatted(EFFECTS.get(kind), JOB_COLUMNS);
        return Writes.execute(pool, sql, Tuple.of(UUID.randomUUID(), subject, kind.label))
                .onFailure(LostRace::is).retry().atMost(3)
                .flatMap(rows -> {
                    if (rows.size() > 0) {
                        return Uni.createFrom().item(job(rows.iterator().next()));
                    }
                    // The same request's job committed after this statement's snapshot: seen the next time.
                    return attempts > 1 ? request(kind, subject, attempts - 1)
                            : Uni.createFrom().failure(new RetryLaterException("The same request is being recorded; retry shortly"));
                });
    }

    Uni<LifecycleJob> job(UUID id) {
        return pool.preparedQuery(JOB).execute(Tuple.of(id)).map(rows -> rows.size() == 0 ? null : job(rows.iterator().next()));
    }

    /** Up to {@code count} running jobs after {@code after} (null: from the oldest), oldest first. */
    Uni<List<LifecycleJob>> running(SqlClient client, int count, LifecycleJob after) {
        Tuple page = after == null ? Tuple.of(count, null, null) : Tuple.of(count, after.id(), after.requestedAt());
        return client.preparedQuery(RUNNING).execute(page).map(rows -> {
            List<LifecycleJob> jobs = new ArrayList<>(rows.size());
            rows.forEach(row -> jobs.add(job(row)));
            return jobs;
        });
    }

    /** Records the job's fence (see {@link #FENCE}); answers it. */
    Uni<List<String>> fence(SqlClient client, UUID job) {
        return Writes.execute(client, FENCE, Tuple.of(job)).map(rows -> List.of(rows.iterator().next().getArrayOfStrings("fence")));
    }

    /** Whether the job's fence has passed, or {@code longest} since its request has. */
    Uni<Boolean> fencePassed(SqlClient client, List<String> fence, LifecycleJob job, Duration longest) {
        return client.preparedQuery(FENCE_PASSED).execute(Tuple.of(fence.toArray(new String[0]), job.requestedAt(), longest.toMillis()))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    /** One batch of the job; a lost race (a deadlock with a click) runs the batch again. */
    Uni<Step> step(SqlClient client, LifecycleJob job, int batch, OffsetDateTime now) {
        return Writes.execute(client, steps.get(job.kind()), Tuple.of(job.id(), job.subject(), batch, now))
                .onFailure(LostRace::is).retry().atMost(5)
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Step(row.getLong("taken"), row.getLong("moved"), List.of(row.getArrayOfStrings("items")));
                });
    }

    Uni<Void> finish(SqlClient client, LifecycleJob job) {
        return Writes.execute(client, FINISHES.get(job.kind()), Tuple.of(job.id(), job.subject()))
                .onFailure(LostRace::is).retry().atMost(5).replaceWithVoid();
    }

    /** Lifts an item's tombstone: true if lifted, false if there was none, null while its removal runs. */
    Uni<Boolean> lift(String itemId) {
        return Writes.execute(pool, LIFT, Tuple.of(itemId)).map(rows -> {
            Row row = rows.iterator().next();
            return row.getBoolean("busy") ? null : row.getLong("lifted") > 0;
        });
    }

    /** Since when a user is suspended, or null. */
    Uni<OffsetDateTime> suspendedSince(String userId) {
        return pool.preparedQuery(SUSPENSION).execute(Tuple.of(userId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getOffsetDateTime("since"));
    }

    private static LifecycleJob job(Row row) {
        String[] fence = row.getArrayOfStrings("fence");
        return new LifecycleJob(row.getUUID("id"), JobKind.of(row.getString("kind")), row.getString("subject"),
                row.getString("state"), row.getLong("likes"), row.getOffsetDateTime("requested_at"),
                row.getOffsetDateTime("finished_at"), fence == null ? null : List.of(fence));
    }

    /** What a batch did: rows taken, like rows moved, and the items whose counts changed. */
    record Step(long taken, long moved, List<String> items) {
    }
}
