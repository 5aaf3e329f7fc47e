package dev.likes.citus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.sqlclient.DatabaseException;

/**
 * Whether the database is a Citus coordinator with the likes distributed (V6__citus.sql does that
 * when the citus extension is there), told once at start, after the migrations (or at the first
 * use, when the database did not answer at start); and then the {@link ShardMap} of the likes'
 * shard groups. On plain PostgreSQL every item is in one group.
 */
// A singleton, not application-scoped: every click calls it, so no client proxy stands in between.
@Singleton
public class CitusCluster {

    private static final Logger LOG = Logger.getLogger(CitusCluster.class);

    /** SQLSTATE of likes_click_group and likes_age_group for an item outside the call's shard group. */
    public static final String OTHER_SHARD = "LKS01";

    static final String DISTRIBUTED = """
            SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus')
                   AND to_regclass('pg_dist_partition') IS NOT NULL""";
    static final String LIKES_DISTRIBUTED = "SELECT EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = 'likes'::regclass)";
    static final String SHARDS = """
            SELECT shardminvalue::integer FROM pg_dist_shard WHERE logicalrelid = 'likes'::regclass
            ORDER BY shardminvalue::integer""";

    /** How long the start waits for the answer before leaving it to the first use. */
    static final Duration AT_START = Duration.ofSeconds(5);

    private final Pool pool;
    /** Null until told: at start, or (when the database did not answer then) at its first use. */
    private volatile Boolean active;
    private volatile ShardMap shards = ShardMap.SINGLE;

    public CitusCluster(Pool pool) {
        this.pool = pool;
    }

    /**
     * Before the other start-up observers, which ask {@link #active()}; after the migrations. A
     * database that does not answer yet (the service may start before it) is asked again at its
     * first use ({@link #known}).
     */
    void detect(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 1) StartupEvent start) {
        try {
            known(() -> Uni.createFrom().voidItem()).await().atMost(AT_START);
        } catch (RuntimeException unanswered) {
            LOG.warnf("Could not tell at start whether the database is a Citus cluster (%s); asking at its first use",
                    unanswered.toString());
        }
    }

    private void told(boolean distributed, int[] lowest) {
        if (distributed) {
            shards = ShardMap.startingAt(lowest);
            LOG.infof("Citus: the likes are distributed over %d shard groups; clicks and window aging go to"
                    + " each shard group's worker as one call per group; toggle limits by the users' shard groups;"
                    + " events in each group's outbox (docs/citus.md)", shards.shards());
        }
        active = distributed;
    }

    /** True when the likes are distributed by Citus; false also while that is not known yet (see {@link #known}). */
    public boolean active() {
        return Boolean.TRUE.equals(active);
    }

    /** {@code then}, once {@link #active()} is known: asked of the database first when it did not answer at start. */
    public <T> Uni<T> known(Supplier<Uni<T>> then) {
        if (active != null) {
            return then.get();
        }
        return pool.query(DISTRIBUTED).execute()
                .flatMap(rows -> rows.iterator().next().getBoolean(0)
                        ? pool.query(LIKES_DISTRIBUTED).execute().map(more -> more.iterator().next().getBoolean(0))
                        : Uni.createFrom().item(false))
                .flatMap(distributed -> distributed ? pool.query(SHARDS).execute().map(CitusCluster::lowest)
                        : Uni.createFrom().item(new int[0]))
                .invoke(lowest -> {
                    if (active == null) {
                        told(lowest.length > 0, lowest);
                    }
                })
                .flatMap(told -> then.get());
    }

    public ShardMap shards() {
        return shards;
    }

    /** True for the failure of a call that met an item of another shard group (the map is out of date). */
    public static boolean otherShard(Throwable failure) {
        return failure instanceof DatabaseException db && OTHER_SHARD.equals(db.getSqlState());
    }

    /**
     * {@code call} once per shard group of {@code items} (each group's items in the order given), one
     * group after another (background work keeps one connection and one worker busy at a time); the
     * answers in that order. On plain PostgreSQL, one call with every item. A call that met an item
     * of another group (a shard was split since the map was read) has the map read again and every
     * group called again: each call must be safe to repeat.
     */
    public <T> Uni<List<T>> perShardGroup(List<String> items, Function<List<String>, Uni<T>> call) {
        return perShardGroup(items, Function.identity(), Integer.MAX_VALUE, call);
    }

    /**
     * {@link #perShardGroup(List, Function)} for things that each belong to an item ({@code item}:
     * which), a group's share in calls of about {@code callSize} things, one after another: an item's
     * things always in one call (in the order given), a call closed once it holds {@code callSize}.
     * A call holds its items' counters until it commits: its size bounds how long clicks on them wait.
     */
    public <K, T> Uni<List<T>> perShardGroup(List<K> things, Function<K, String> item, int callSize, Function<List<K>, Uni<T>> call) {
        return callGroups(things, item, callSize, call).onFailure(CitusCluster::otherShard)
                .recoverWithUni(failure -> reload().flatMap(map -> callGroups(things, item, callSize, call)));
    }

    private <K, T> Uni<List<T>> callGroups(List<K> things, Function<K, String> item, int callSize, Function<List<K>, Uni<T>> call) {
        Uni<List<T>> answers = Uni.createFrom().item(ArrayList::new);
        for (List<Integer> group : shards.group(things.stream().map(item).toList()).values()) {
            for (List<K> part : parts(group.stream().map(things::get).toList(), item, callSize)) {
                answers = answers.flatMap(done -> call.apply(part).map(answer -> {
                    done.add(answer);
                    return done;
                }));
            }
        }
        return answers;
    }

    /** A group's things in calls: by item (in the order each first came), closed at {@code callSize}. */
    static <K> List<List<K>> parts(List<K> things, Function<K, String> item, int callSize) {
        Map<String, List<K>> byItem = new LinkedHashMap<>();
        things.forEach(thing -> byItem.computeIfAbsent(item.apply(thing), key -> new ArrayList<>()).add(thing));
        List<List<K>> parts = new ArrayList<>();
        List<K> part = new ArrayList<>();
        for (List<K> ofItem : byItem.values()) {
            part.addAll(ofItem);
            if (part.size() >= callSize) {
                parts.add(part);
                part = new ArrayList<>();
            }
        }
        if (!part.isEmpty()) {
            parts.add(part);
        }
        return parts;
    }

    /** Reads the shard ranges again (after a shard split, say). */
    public Uni<ShardMap> reload() {
        return pool.query(SHARDS).execute().map(rows -> {
            shards = ShardMap.startingAt(lowest(rows));
            LOG.infof("Citus: shard map reloaded, %d shard groups", shards.shards());
            return shards;
        });
    }

    private static int[] lowest(RowSet<Row> rows) {
        int[] lowest = new int[rows.size()];
        int i = 0;
        for (Row row : rows) {
            lowest[i++] = row.getInteger(0);
        }
        return lowest;
    }
}
