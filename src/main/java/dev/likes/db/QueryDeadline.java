package dev.likes.db;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import dev.likes.config.LikesConfig;
import io.smallrye.mutiny.Uni;

/**
 * The longest a query may go unanswered: the wait for a pooled connection, the server's statement
 * timeout, and a second more. The server and the pool bound everything they see; this covers the
 * client. On Citus, when a coordinator's backend died mid-query (a worker killed under load), the
 * Vert.x client was seen failing inside its own result handling (a NullPointerException in
 * QueryResultBuilder) and never completing the query, and its request hung. Past the deadline, the
 * query fails as a timeout: a 503 the client retries, which is as safe as any other 503 (a click
 * whose answer is lost is not acknowledged; repeating it changes nothing).
 */
@ApplicationScoped
public class QueryDeadline {

    private final Duration deadline;

    public QueryDeadline(LikesConfig config) {
        this.deadline = config.db().acquireTimeout().plus(config.db().statementTimeout()).plusSeconds(1);
    }

    /** How long a query may go unanswered. */
    public Duration deadline() {
        return deadline;
    }

    public <T> Uni<T> bound(Uni<T> query) {
        return query.ifNoItem().after(deadline)
                .failWith(() -> new TimeoutException("No answer from the database within " + deadline.toMillis() + " ms"));
    }
}
