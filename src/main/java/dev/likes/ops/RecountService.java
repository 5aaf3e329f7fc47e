package dev.likes.ops;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.likes.api.ConflictException;
import dev.likes.api.IdRules;
import dev.likes.api.ParameterRules;
import dev.likes.auth.AccessPolicy;
import dev.likes.config.LikesConfig;
import dev.likes.counting.CountAnnouncer;
import dev.likes.db.AdvisoryLock;
import dev.likes.db.DatabaseOptions;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The rules of a recount: it walks every item in id order, a bounded batch at a time (short
 * transactions, counters held only while their batch is fixed), and reports what drifted. One
 * recount (or scheduled drift check) at a time across all replicas: each runs on a connection of its
 * own that holds the advisory lock {@link AdvisoryLock#RECOUNT} and is closed at the end, so the lock
 * lives exactly as long as the walk can write. Another recount meanwhile is refused (409): on this
 * replica before it opens a connection (so no number of calls at once can use up the server's
 * connections), on the others by the lock.
 */
@ApplicationScoped
public class RecountService {

    private static final Logger LOG = Logger.getLogger(RecountService.class);

    /** The most items one call may be limited to. */
    public static final long MAX_LIMIT = 1_000_000_000L;

    private final RecountStore store;
    private final CountAnnouncer announcer;
    private final AccessPolicy access;
    private final Vertx vertx;
    private final DatabaseOptions databases;
    private final Pool pool;
    private final int batchSize;
    /** Whether this replica runs a recount (or drift check) now; taken before its connection is opened. */
    private final AtomicBoolean running = new AtomicBoolean();

    public RecountService(RecountStore store, AccessPolicy access, Vertx vertx, DatabaseOptions databases, LikesConfig config,
            CountAnnouncer announcer, Pool pool) {
        this.pool = pool;
        this.store = store;
        this.announcer = announcer;
        this.access = access;
        this.vertx = vertx;
        this.databases = databases;
        this.batchSize = config.recount().batchSize();
    }

    /** Checks (and unless {@code dryRun} is "true", fixes) up to {@code limit} items after {@code after}. */
    public Uni<Recount> recount(String after, String limit, String dryRun) {
        String start = after == null ? "" : IdRules.require("after", after);
        long most = ParameterRules.limit("limit", limit, MAX_LIMIT, MAX_LIMIT);
        boolean repair = !ParameterRules.flag("dryRun", dryRun);
        return access.operate().chain(() -> recount(start, most, repair));
    }

    /**
     * The drift check of just these items (at most a recount batch's worth at a time is sensible):
     * those whose counter or hot score disagrees with their like rows. Changes nothing, takes no lock
     * (an import checks what it loaded with it).
     */
    public Uni<List<CounterDrift>> drifted(List<String> itemIds) {
        return pool.withConnection(connection -> store.check(connection, itemIds));
    }

    /** Checks (and fixes, with {@code repair}) up to {@code limit} items after {@code after} ("" for all). */
    Uni<Recount> recount(String after, long limit, boolean repair) {
        return Uni.createFrom().deferred(() -> {
            if (!running.compareAndSet(false, true)) {
                return Uni.createFrom().failure(underWay());
            }
            return PgConnection.connect(vertx, databases.primary()).flatMap(connection -> connection
                    .query(AdvisoryLock.RECOUNT.tryLock()).execute()
                    .flatMap(locked -> {
                        if (!locked.iterator().next().getBoolean(0)) {
                            throw underWay();
                        }
                        return walk(connection, new Tally(repair), after, limit);
                    })
                    // On cancellation too (a caller that went away): the lock goes with the connection.
                    .onTermination().call((recount, failure, cancelled) -> connection.close()))
                    .onTermination().invoke(() -> running.set(false));
        }).invoke(recount -> {
            if (recount.repaired() && recount.drifted() > 0) {
                LOG.warnf("Recount fixed %d of %d counters (total delta %d)", recount.drifted(), recount.checked(), recount.delta());
            }
        });
    }

    /** Repaired counters reach every replica's live streams and counts in memory, as clicks' changes do. */
    private void announce(List<CounterDrift> repaired) {
        if (!repaired.isEmpty()) {
            announcer.changed(repaired.stream().map(CounterDrift::itemId).collect(Collectors.toCollection(LinkedHashSet::new)));
        }
    }

    private static ConflictException underWay() {
        return new ConflictException("A recount or drift check is under way (on this or another replica); retry when it is done", 10);
    }

    /**
     * One batch after another. Each batch starts from the callback of the one before, so a walk of
     * any length keeps a flat stack (a chain of flatMaps would nest one level per batch).
     */
    private Uni<Recount> walk(SqlConnection connection, Tally tally, String after, long limit) {
        return Uni.createFrom().emitter(done -> {
            done.onTermination(() -> tally.over = true); // a cancelled walk stops at its next batch
            step(connection, tally, after, limit, done);
        });
    }

    private void step(SqlConnection connection, Tally tally, String after, long remaining, UniEmitter<? super Recount> done) {
        int size = (int) Math.min(batchSize, remaining);
        store.nextItems(connection, after, size)
                .flatMap(ids -> ids.isEmpty()
                        ? Uni.createFrom().item(0)
                        : (tally.repair ? store.repair(connection, ids).invoke(this::announce) : store.check(connection, ids))
                                .map(drifts -> tally.add(ids, drifts)))
                .subscribe().with(checked -> {
                    if (checked < size) {
                        done.complete(tally.report(null));
                    } else if (remaining == size) {
                        done.complete(tally.report(tally.lastId));
                    } else if (!tally.over) {
                        step(connection, tally, tally.lastId, remaining - size, done);
                    }
                }, done::fail);
    }

    /** The running totals of one recount; used by one walk at a time, one batch after another. */
    private static final class Tally {

        final boolean repair;
        volatile boolean over;
        String lastId;
        long checked;
        long delta;
        long drifted;
        final List<CounterDrift> listed = new ArrayList<>();

        Tally(boolean repair) {
            this.repair = repair;
        }

        /** Adds a batch; answers how many items it checked. */
        int add(List<String> ids, List<CounterDrift> drifts) {
            lastId = ids.get(ids.size() - 1);
            checked += ids.size();
            drifted += drifts.size();
            for (CounterDrift drift : drifts) {
                delta += drift.delta();
                if (listed.size() < Recount.MAX_LISTED) {
                    listed.add(drift);
                }
            }
            return ids.size();
        }

        Recount report(String next) {
            return new Recount(repair, checked, drifted, delta, next, List.copyOf(listed));
        }
    }
}
