package dev.likes.likes;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.likes.api.RetryLaterException;
import dev.likes.db.LostRace;
import io.micrometer.core.instrument.DistributionSummary;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Sends the likes (or the unlikes) to the database in as few statements as the load allows. While
 * fewer than {@code maxStatements} of its statements are running, a click goes out at once, alone, so
 * a quiet service adds no latency. Otherwise it waits for a running statement to finish and goes out
 * with every click that waited meanwhile, as one statement and one commit. That is what lifts a viral
 * item above one commit flush per like: its clicks queue here instead of on its counter row's lock.
 * Each statement has a span of its own, linked to the requests whose clicks it carries.
 */
final class ClickQueue {

    /** Statements a click may take when it keeps losing races (same user, same item; deadlocks). */
    static final int MAX_ATTEMPTS = 5;

    /** Writes one statement's clicks: {@link LikeStore#write}, or in tests a store that records statements. */
    interface Writer {
        Uni<List<ClickOutcome>> write(Direction direction, List<Like.Key> clicks);
    }

    private final Direction direction;
    private final Writer store;
    private final int maxStatements;
    private final int maxBatch;
    private final int maxWaiting;
    private final DistributionSummary clicksPerStatement;
    private final ChangeLimits limits;
    private final Tracer tracer;

    /** Guarded by this; held only to move clicks in and out, never across I/O. */
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private int running;

    ClickQueue(Direction direction, Writer store, ChangeLimits limits, int maxStatements, int maxBatch, int maxWaiting,
            DistributionSummary clicksPerStatement, Tracer tracer) {
        this.direction = direction;
        this.store = store;
        this.limits = limits;
        this.maxStatements = maxStatements;
        this.maxBatch = maxBatch;
        this.maxWaiting = maxWaiting;
        this.clicksPerStatement = clicksPerStatement;
        this.tracer = tracer;
    }

    /** Which way this queue's clicks move their likes. */
    Direction direction() {
        return direction;
    }

    Uni<LikeChange> submit(String itemId, String userId) {
        Like.Key click = new Like.Key(itemId, userId);
        return Uni.createFrom().emitter(emitter ->
                enqueue(List.of(new Pending(click, emitter, Vertx.currentContext(), Span.current().getSpanContext(), 1))));
    }

    private void enqueue(List<Pending> clicks) {
        boolean full;
        List<Pending> batch = null;
        synchronized (this) {
            full = waiting.size() >= maxWaiting;
            if (!full) {
                waiting.addAll(clicks);
                if (running < maxStatements) {
                    running++;
                    batch = takeBatch();
                }
            }
        }
        if (full) {
            // The database is not keeping up: say so now rather than queue without bound.
            clicks.forEach(pending -> pending.fail(new RetryLaterException(
                    "Too many likes are waiting for the database; retry shortly")));
        } else if (batch != null) {
            send(batch);
        }
    }

    /** A statement finished: the next one takes whatever waited meanwhile. */
    private void next() {
        List<Pending> batch;
        synchronized (this) {
            if (waiting.isEmpty()) {
                running--;
                return;
            }
            batch = takeBatch();
        }
        send(batch);
    }

    private List<Pending> takeBatch() {
        List<Pending> batch = new ArrayList<>(Math.min(waiting.size(), maxBatch));
        while (!waiting.isEmpty() && batch.size() < maxBatch) {
            batch.add(waiting.poll());
        }
        return batch;
    }

    private void send(List<Pending> batch) {
        // A statement takes each (item, user) once: a double click in one batch shares the answer of
        // its first click, as a repeat that changed nothing.
        Map<Like.Key, List<Pending>> byClick = new LinkedHashMap<>();
        for (Pending pending : batch) {
            byClick.computeIfAbsent(pending.click(), key -> new ArrayList<>(1)).add(pending);
        }
        clicksPerStatement.record(byClick.size());
        Span span = writeSpan(batch, byClick.size());
        // Current while the statement is sent, so that the SQL client's span is its child; while spans go
        // nowhere it is the invalid span of a no-op tracer, and making it current would be work for nothing.
        try (Scope ignored = span.getSpanContext().isValid() ? span.makeCurrent() : Scope.noop()) {
            Uni<List<ClickOutcome>> statement;
            try {
                statement = store.write(direction, new ArrayList<>(byClick.keySet()));
            } catch (RuntimeException e) {
                ended(span, e);
                next();
                batch.forEach(pending -> pending.fail(e));
                return;
            }
            statement.subscribe().with(
                    answers -> {
                        span.end();
                        next();
                        answer(byClick, answers);
                    },
                    failure -> {
                        ended(span, failure);
                        next();
                        if (LostRace.is(failure)) {
                            retry(batch);
                        } else {
                            batch.forEach(pending -> pending.fail(failure));
                        }
                    });
        }
    }

    /**
     * The statement's span: the child of no request, since it serves many, and linked to the span of
     * each request it carries (up to the tracer's limit on links), so that a request's trace leads to
     * the statement that wrote its click, and the statement to every request it answered.
     */
    private Span writeSpan(List<Pending> batch, int clicks) {
        SpanBuilder span = tracer.spanBuilder(direction == Direction.LIKE ? "likes.write like" : "likes.write unlike")
                .setNoParent()
                .setSpanKind(SpanKind.INTERNAL)
                .setAttribute("likes.clicks", clicks)
                .setAttribute("likes.requests", batch.size());
        for (Pending pending : batch) {
            if (pending.trace().isValid()) {
                span.addLink(pending.trace());
            }
        }
        return span.startSpan();
    }

    private static void ended(Span span, Throwable failure) {
        span.recordException(failure);
        span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
        span.end();
    }

    private void answer(Map<Like.Key, List<Pending>> byClick, List<ClickOutcome> outcomes) {
        List<Pending> raced = new ArrayList<>();
        int i = 0;
        for (List<Pending> same : byClick.values()) {
            ClickOutcome outcome = outcomes.get(i++);
            if (outcome instanceof ClickOutcome.Answered answered) {
                LikeChange answer = answered.change();
                same.get(0).complete(answer);
                for (Pending repeat : same.subList(1, same.size())) {
                    repeat.complete(new LikeChange(answer.itemId(), answer.userId(), direction.likes(), false, answer.likes()));
                }
            } else if (outcome instanceof ClickOutcome.Raced
                    || outcome instanceof ClickOutcome.Failed failed && LostRace.is(failed.failure())) {
                raced.addAll(same);
            } else {
                Throwable refusal = refusal(same.get(0).click(), outcome);
                same.forEach(pending -> pending.fail(refusal));
            }
        }
        if (!raced.isEmpty()) {
            retry(raced);
        }
    }

    /** What the requests of a click that did not go through are answered. */
    private Throwable refusal(Like.Key click, ClickOutcome outcome) {
        if (outcome instanceof ClickOutcome.Barred barred) {
            return barred.why().refusal(click);
        }
        if (outcome instanceof ClickOutcome.Limited limited) {
            return limits.refusal(click.userId(), limited.retryAfterSeconds());
        }
        return ((ClickOutcome.Failed) outcome).failure();
    }

    private void retry(List<Pending> clicks) {
        List<Pending> again = new ArrayList<>(clicks.size());
        for (Pending pending : clicks) {
            if (pending.attempt() == MAX_ATTEMPTS) {
                pending.fail(new RetryLaterException(
                        "This user's likes of this item are changing too fast; retry shortly"));
            } else {
                again.add(pending.again());
            }
        }
        if (!again.isEmpty()) {
            enqueue(again);
        }
    }

    /**
     * A click waiting for its answer, with the span of its request (invalid when tracing is off). The answer is handed back on the click's own request context
     * (its event loop, its request id in the logs), not on whichever request's context ran the statement.
     */
    private record Pending(Like.Key click, UniEmitter<? super LikeChange> emitter, Context context, SpanContext trace, int attempt) {

        void complete(LikeChange answer) {
            onOwnContext(() -> emitter.complete(answer));
        }

        void fail(Throwable failure) {
            onOwnContext(() -> emitter.fail(failure));
        }

        Pending again() {
            return new Pending(click, emitter, context, trace, attempt + 1);
        }

        private void onOwnContext(Runnable action) {
            if (context == null || context == Vertx.currentContext()) {
                action.run();
            } else {
                context.runOnContext(ignored -> action.run());
            }
        }
    }
}
