package dev.likes.db;

/**
 * The PostgreSQL advisory locks of the service, held on a session of their own: while the session
 * lives the lock is held, and when the session ends (a closed connection, a crashed replica, a
 * failover) the lock is free for another replica. Keys are (class, object) pairs with a class of the
 * service's own, clear of Flyway's lock.
 */
public enum AdvisoryLock {

    /** Held by the replica that runs the background jobs (dev.likes.ha.Leadership). */
    LEADER(1),
    /** Held by the session of the one recount under way (dev.likes.ops.RecountService). */
    RECOUNT(2);

    /** 'LIKE' in ASCII. */
    private static final int SERVICE = 0x4C494B45;

    private final int object;

    AdvisoryLock(int object) {
        this.object = object;
    }

    /** A statement answering true when this session now holds the lock (false: another session has it). */
    public String tryLock() {
        return "SELECT pg_try_advisory_lock(" + SERVICE + ", " + object + ")";
    }

    /**
     * A condition, true when the session of backend $1 holds the lock now (a two-key advisory lock
     * shows its keys as classid and objid, with objsubid 2).
     */
    public String heldBy() {
        return "EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = " + SERVICE
                + " AND objid = " + object + " AND objsubid = 2 AND granted AND pid = $1)";
    }

    /** Lets go of the lock held by this session (a recount's session simply ends instead). */
    public String unlock() {
        return "SELECT pg_advisory_unlock(" + SERVICE + ", " + object + ")";
    }
}
