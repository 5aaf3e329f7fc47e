package dev.likes.db;

import io.vertx.sqlclient.DatabaseException;

/** PostgreSQL broke a deadlock or a serialization conflict by failing one statement: running it again is safe. */
public final class LostRace {

    private LostRace() {
    }

    public static boolean is(Throwable failure) {
        return failure instanceof DatabaseException db
                && ("40P01".equals(db.getSqlState()) || "40001".equals(db.getSqlState()));
    }
}
