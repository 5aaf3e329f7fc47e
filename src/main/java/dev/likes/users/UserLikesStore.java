package dev.likes.users;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Owns the SQL of a user's likes: a keyset walk of the likes_by_user index, never OFFSET. */
@ApplicationScoped
public class UserLikesStore {

    /**
     * The index is (user_id, created_at DESC, item_id), the order of the page. {@code created_at <= $2}
     * seeks straight to the cursor; the OR only steps over the likes of the cursor's own moment.
     */
    public static final String PAGE = """
            SELECT item_id, created_at FROM likes
            WHERE user_id = $1
              AND created_at <= $2 AND (created_at < $2 OR item_id > $3)
            ORDER BY created_at DESC, item_id
            LIMIT $4
            """;

    /** Later than any like: where a walk starts. */
    static final OffsetDateTime END_OF_TIME = OffsetDateTime.of(9999, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    private final Pool pool;

    public UserLikesStore(Pool pool) {
        this.pool = pool;
    }

    /** Up to {@code count} of the user's likes after {@code after} (from the newest when null). */
    Uni<List<UserLike>> likesAfter(String userId, UserLikesCursor after, int count) {
        OffsetDateTime before = after == null ? END_OF_TIME : toTime(after.likedAtMicros());
        String itemId = after == null ? "" : after.itemId();
        return pool.preparedQuery(PAGE).execute(Tuple.of(userId, before, itemId, count)).map(rows -> {
            List<UserLike> likes = new ArrayList<>(rows.size());
            for (Row row : rows) {
                likes.add(new UserLike(row.getString("item_id"), row.getOffsetDateTime("created_at")));
            }
            return likes;
        });
    }

    static long toMicros(OffsetDateTime time) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, time.toInstant());
    }

    static OffsetDateTime toTime(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }
}
