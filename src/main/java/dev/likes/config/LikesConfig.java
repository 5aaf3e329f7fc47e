package dev.likes.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Every {@code likes.*} setting of the service, in one place. Each key is also an environment variable
 * by the usual rule ({@code likes.db.acquire-timeout} is {@code LIKES_DB_ACQUIRE_TIMEOUT}); docs/configuration.md
 * lists them for operators, with their defaults.
 */
@ConfigMapping(prefix = "likes")
public interface LikesConfig {

    Db db();

    Http http();

    PublicReads read();

    Write write();

    Limit limit();

    Recount recount();

    DriftCheck driftCheck();

    Windows windows();

    Live live();

    Auth auth();

    Leader leader();

    Lifecycle lifecycle();

    Likers likers();

    Events events();

    /** An import of existing likes; {@code import} is a Java keyword, hence the method's name. */
    @WithName("import")
    Import imports();

    /** Bounds on every wait for the database, so that no request hangs (see dev.likes.db.DatabasePool). */
    interface Db {

        /** Opening a connection. */
        @WithDefault("1s")
        Duration connectTimeout();

        /** A request waiting for a free pooled connection; then 503. */
        @WithDefault("1s")
        Duration acquireTimeout();

        /** The server cancels a statement that runs longer; then 503. */
        @WithDefault("5s")
        Duration statementTimeout();

        /** A connection that receives nothing for this long is closed (a hung server or network). */
        @WithDefault("30s")
        Duration silenceTimeout();

        /** Requests waiting for a connection, and clicks waiting for a statement, at most; more get 503 at once. */
        @WithDefault("1024")
        int maxWaiting();

        /** A standby that serves public reads (see dev.likes.ha.ReadRoute); none by default. */
        Read read();

        interface Read {

            /** The standby's host (or a load balancer in front of standbys); public reads stay on the primary when unset. */
            Optional<String> host();

            /** The standby's port. */
            @WithDefault("5432")
            int port();

            /** Connections to the standby. */
            @WithDefault("4")
            int poolSize();

            /** A standby further behind the primary than this serves nothing; its reads go to the primary. */
            @WithDefault("5s")
            Duration maxLag();

            /** How often the standby's lag is measured. */
            @WithDefault("1s")
            Duration lagCheckInterval();
        }
    }

    /** The public port's connections (see dev.likes.http); its idle timeout and connection cap are Quarkus settings. */
    interface Http {

        /**
         * A request head must arrive whole within this long of its connection's opening, or of its
         * first byte after the previous answer; then the connection is closed (a slow-loris client).
         */
        @WithDefault("10s")
        Duration headerTimeout();
    }

    /**
     * Public reads (counts without a user, ranking pages): their own share of the primary, so that a
     * flood of them is shed (503) before it starves clicks or readiness, and what is served from memory
     * (see dev.likes.cache).
     */
    interface PublicReads {

        /** Connections to the primary for public reads, apart from the clicks' pool. */
        @WithDefault("4")
        int sharePoolSize();

        /** Public reads waiting for one of those connections at most; more get 503 with Retry-After at once. */
        @WithDefault("64")
        int shareMaxWaiting();

        /** Items whose counts a replica keeps in memory at most; 0 turns the cache off (every read asks the database). */
        @WithDefault("50000")
        int cacheMaxItems();

        /** A count kept in memory is read again after this long at most, even when no announcement of a change came. */
        @WithDefault("5s")
        Duration cacheMaxAge();

        /** The first page of each ranking is read again at most this often; 0s: every page from the database. */
        @WithDefault("1s")
        Duration rankingsRefresh();
    }

    /** How clicks are gathered into write statements (see dev.likes.likes.ClickQueue). */
    interface Write {

        /** Like statements (and as many unlike statements) running at once. */
        @WithDefault("2")
        int statements();

        /** Clicks in one statement at most. */
        @WithDefault("256")
        int maxBatch();
    }

    /** Toggle-storm limits, counted by PostgreSQL in each click's statement for all replicas at once (0: off). */
    interface Limit {

        /** Like changes per user on one item within any minute. */
        @WithDefault("10")
        int changesPerItem();

        /** Like changes per user in all within any minute. */
        @WithDefault("120")
        int changesPerUser();

        /** How often the leader forgets users with no change in the last minute. */
        @WithDefault("30s")
        Duration cleanupInterval();

        /**
         * Writes (likes and unlikes, repeats included) one user may send a replica per second on
         * average, twice as many at once; then 429. 0 turns the budget off.
         */
        @WithDefault("20")
        int writesPerUser();

        /** Users whose write budget a replica keeps at most (beyond, some are forgotten: a full budget again). */
        @WithDefault("100000")
        long writeBudgetUsers();

        default boolean enabled() {
            return changesPerItem() > 0 || changesPerUser() > 0;
        }
    }

    interface Recount {

        /** Items a recount fixes per transaction. */
        @WithDefault("500")
        int batchSize();
    }

    interface DriftCheck {

        /** A scheduled dry recount every so often, run by the leader; off when empty. */
        Optional<Duration> interval();
    }

    /**
     * The trending windows' aging job (see dev.likes.ranking.WindowAging) and the hot ranking's
     * re-base (dev.likes.ranking.HotRebase, at the aging interval), run by the leader.
     */
    interface Windows {

        /** How often old minutes move out of the windows; 0s turns aging off. */
        @WithDefault("5s")
        Duration agingInterval();

        /** Buckets (item x minute) one aging statement moves at most; it holds their counters that long. */
        @WithDefault("500")
        int agingBatch();

        /**
         * The hot ranking's half-life: a like weighs 2^(-age / half-life). Whole seconds, at least a
         * minute; a change re-scores every item from its rows (dev.likes.ranking.HotRebase).
         */
        @WithDefault("6h")
        Duration hotHalfLife();
    }

    /** Live count streams (see dev.likes.live.LiveCounts) and this replica's budget for them. */
    interface Live {

        /** A stream gets an item's latest count at most this often. */
        @WithDefault("250ms")
        Duration flushInterval();

        /**
         * How often a replica tells every replica which items' counts its writes changed (one
         * NOTIFY statement for all of them).
         */
        @WithDefault("50ms")
        Duration announceInterval();

        /** A comment on idle streams, so that proxies keep them open. */
        @WithDefault("15s")
        Duration heartbeatInterval();

        /** Streams per client address (then 429). */
        @WithDefault("8")
        int maxStreamsPerClient();

        /** Streams per replica (then 503). */
        @WithDefault("2000")
        int maxStreams();

        /** Item ids followed by all streams of a replica together (then 503). */
        @WithDefault("50000")
        int maxFollowed();
    }

    interface Auth {

        /** Bearer tokens required for calls that act for a user; false on private networks only. */
        @WithDefault("true")
        boolean enabled();

        /** With authentication off, which calls anyone may make (the others answer 403). */
        @WithDefault("user-calls")
        OffOpens offOpens();

        /**
         * Whether an OAuth scope ("scope", "scp") grants what a group does; off, since many identity
         * providers let any client ask for any scope: only the "groups" claim counts.
         */
        @WithDefault("false")
        boolean scopesGrantGroups();

        /** How often the token signing keys are read again (a rotated key takes effect); 0s reads them at start only. */
        @WithDefault("60s")
        Duration keysReloadInterval();

        /**
         * Start in production although the signing keys include the published dev key (anyone can
         * mint its tokens): for trying the packaged service on your own machine only.
         */
        @WithDefault("false")
        boolean insecureTrustPublishedDevKey();

        TokenCache tokenCache();

        /** Tokens verified once and reused until their exp (see dev.likes.auth.VerifiedTokens). */
        interface TokenCache {

            /** Verified tokens kept at most; 0 verifies every request's token in full. */
            @WithDefault("10000")
            long maxTokens();
        }
    }

    /**
     * One replica at a time is the leader and runs the background jobs (see dev.likes.ha.Leadership);
     * another takes over when it goes.
     */
    interface Leader {

        /** How often a replica tries to become the leader, and the leader checks that it still is. */
        @WithDefault("1s")
        Duration checkInterval();
    }

    /** Erasing users' likes, removing items, suspending users: work the leader does in batches (see dev.likes.lifecycle). */
    interface Lifecycle {

        /** Like rows a statement of a lifecycle job moves at most: the longest a job holds a counter. */
        @WithDefault("500")
        int batchSize();

        /** How often the leader looks for lifecycle jobs to do; 0s: never (the jobs wait: for tests that run them themselves). */
        @WithDefault("1s")
        Duration checkInterval();

        /** The longest one pass of the jobs works before it lets the other background jobs run. */
        @WithDefault("5s")
        Duration passLength();

        /**
         * The longest a job waits for the transactions that held a snapshot when its request took
         * effect (a click that may not have seen it); then it drains once more and finishes. Longer
         * than likes.db.statement-timeout, which ends every click statement sooner.
         */
        @WithDefault("30s")
        Duration fenceTimeout();
    }

    /** Who liked an item (see dev.likes.likers). */
    interface Likers {

        /** Who may list who liked an item: "backends" (backends and operators; likes can be private) or "public". */
        @WithDefault("backends")
        LikersVisibility visibility();
    }

    /**
     * Like events to Kafka (see dev.likes.events). They are on when Quarkus' {@code kafka.bootstrap.servers}
     * (KAFKA_BOOTSTRAP_SERVERS) is set, and off, writing no outbox rows, when it is not.
     */
    interface Events {

        /** The Kafka topic the events go to, keyed by item id. */
        @WithDefault("likes.events")
        String topic();

        /** Events the relay publishes (and then deletes from the outbox) at most in one round. */
        @WithDefault("1000")
        int relayBatch();

        /** How long the relay waits after a round that found the outbox empty (after one that found events, it goes on at once). */
        @WithDefault("20ms")
        Duration relayInterval();

        /** How long the relay waits after a round that failed (the broker or the database away) before it tries again. */
        @WithDefault("1s")
        Duration relayRetry();
    }

    /** With authentication off, the calls open to anyone; in order, each opens what the one before does and more. */
    enum OffOpens {
        /** Liking, unliking and reading likes as any user; operator and lifecycle calls stay closed. */
        USER_CALLS,
        /** Every call: also erasure, removal, suspension, who liked, job status and the recount. */
        ALL_CALLS
    }

    /** Who may list who liked an item. */
    enum LikersVisibility {
        /** Backends acting for users and operators only. */
        BACKENDS,
        /** Anyone. */
        PUBLIC
    }

    /**
     * An import of existing likes (dev.likes.imports, docs/import.md): when a CSV file or a source
     * database is set, this process imports, prints its report and exits (deploy/import.sh runs it so).
     */
    interface Import {

        /** A CSV file to import, in UTF-8, its first line naming the columns. */
        Optional<String> csv();

        /** Or a PostgreSQL database to import from: postgresql://user:password@host:port/database. */
        Optional<String> sourceUrl();

        /** The table (or view) of source-url to read, [schema.]name. */
        @WithDefault("likes")
        String sourceTable();

        /** The import's name, under which its progress is kept (a run goes on where the last run of that name stopped); default: the file's or the table's name. */
        Optional<String> name();

        /** The column holding the item's id. */
        @WithDefault("item_id")
        String itemColumn();

        /** The column holding the user's id. */
        @WithDefault("user_id")
        String userColumn();

        /** The column holding the like's time. */
        @WithDefault("created_at")
        String timeColumn();

        /** Likes one transaction loads; it holds their items' counters that long. */
        @WithDefault("5000")
        int batchSize();

        /** Whether this process is an import command (it then never leads: it runs no background jobs). */
        default boolean asked() {
            return csv().isPresent() || sourceUrl().isPresent();
        }
    }
}
