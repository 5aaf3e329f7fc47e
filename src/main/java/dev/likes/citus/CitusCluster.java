package dev.likes.citus;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.sqlclient.DatabaseException;

import dev.likes.events.OutboxStore;

/**
 * Whether the database is a Citus coordinator with the likes distributed (V6__citus.sql does that
 * when the citus extension is there), told once at start over JDBC, after the migrations; and then
 * the {@link ShardMap} of the likes' shard groups. On plain PostgreSQL every item is in one group.
 */
@ApplicationScoped
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

    private final AgroalDataSource jdbc;
    private final Pool pool;
    private final OutboxStore outbox;
    private volatile boolean active;
    private volatile ShardMap shards = ShardMap.SINGLE;

    public CitusCluster(AgroalDataSource jdbc, Pool pool, OutboxStore outbox) {
        this.jdbc = jdbc;
        this.pool = pool;
        this.outbox = outbox;
    }

    /** Before the other start-up observers, which ask {@link #active()}. */
    void detect(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 1) StartupEvent start) throws SQLException {
        try (Connection connection = jdbc.getConnection(); Statement statement = connection.createStatement()) {
            active = flag(statement, DISTRIBUTED) && flag(statement, LIKES_DISTRIBUTED);
            if (active && outbox.enabled()) {
                // Refused rather than silently dropped: the clicks' calls on the workers record no events.
                throw new IllegalStateException("Like events (KAFKA_BOOTSTRAP_SERVERS) are not available on Citus:"
                        + " unset it, or run the service on plain PostgreSQL (docs/citus.md)");
            }
            if (active) {
                List<Integer> lowest = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery(SHARDS)) {
                    while (rows.next()) {
                        lowest.add(rows.getInt(1));
                    }
                }
                shards = ShardMap.startingAt(lowest.stream().mapToInt(Integer::intValue).toArray());
                LOG.infof("Citus: the likes are distributed over %d shard groups; clicks and window aging go to"
                        + " each shard group's worker as one call per group; toggle limits and lifecycle jobs are off"
                        + " (docs/citus.md)", shards.shards());
            }
        }
    }

    private static boolean flag(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() && rows.getBoolean(1);
        }
    }

    /** True when the likes are distributed by Citus. */
    public boolean active() {
        return active;
    }

    public ShardMap shards() {
        return shards;
    }

    /** True for the failure of a call that met an item of another shard group (the map is out of date). */
    public static boolean otherShard(Throwable failure) {
        return failure instanceof DatabaseException db && OTHER_SHARD.equals(db.getSqlState());
    }

    /** Reads the shard ranges again (after a shard split, say). */
    public Uni<ShardMap> reload() {
        return pool.query(SHARDS).execute().map(rows -> {
            int[] lowest = new int[rows.size()];
            int i = 0;
            for (var row : rows) {
                lowest[i++] = row.getInteger(0);
            }
            shards = ShardMap.startingAt(lowest);
            LOG.infof("Citus: shard map reloaded, %d shard groups", lowest.length);
            return shards;
        });
    }
}
