package dev.likes.likes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.likes.api.AccessDeniedException;
import dev.likes.api.GoneException;
import dev.likes.api.RetryLaterException;
import dev.likes.api.TooManyRequestsException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.smallrye.mutiny.Uni;

/**
 * How ClickQueue gathers clicks into statements, without Quarkus or a database: the store records each
 * statement it is given and answers it when the test says so.
 */
class ClickQueueTest {

    /** A statement the queue sent: its clicks, and the answer the test gives it. */
    record Statement(List<Like.Key> clicks, CompletableFuture<List<ClickOutcome>> answer) {

        /** Every click liked, the count going up from {@code from}. */
        void likeAll(long from) {
            List<ClickOutcome> outcomes = new ArrayList<>();
            for (Like.Key click : clicks) {
                outcomes.add(new ClickOutcome.Answered(new LikeChange(click.itemId(), click.userId(), true, true, from++)));
            }
            answer.complete(outcomes);
        }
    }

    final List<Statement> sent = new ArrayList<>();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final InMemorySpanExporter spans = InMemorySpanExporter.create();
    final SdkTracerProvider tracing = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();

    ClickQueue queue(int maxStatements, int maxBatch, int maxWaiting) {
        return new ClickQueue(Direction.LIKE, (direction, clicks) -> {
            Statement statement = new Statement(List.copyOf(clicks), new CompletableFuture<>());
            sent.add(statement);
            return Uni.createFrom().completionStage(statement.answer());
        }, new ChangeLimits(ChangeLimitRulesTest.limit(10, 120)), maxStatements, maxBatch, maxWaiting,
                registry.summary("clicks"), tracing.get("likes"));
    }

    static CompletableFuture<LikeChange> click(ClickQueue queue, String item, String user) {
        return queue.submit(item, user).subscribeAsCompletionStage();
    }

    static Throwable failure(CompletableFuture<LikeChange> answer) {
        assertTrue(answer.isCompletedExceptionally(), "refused");
        try {
            answer.get(0, TimeUnit.SECONDS);
            throw new AssertionError("not refused");
        } catch (Exception e) {
            return e.getCause();
        }
    }

    @Test
    void aQuietQueueSendsEachClickAtOnceAlone() throws Exception {
        ClickQueue queue = queue(2, 100, 1000);
        CompletableFuture<LikeChange> first = click(queue, "post", "ann");
        CompletableFuture<LikeChange> second = click(queue, "post", "bob");
        assertEquals(2, sent.size(), "two statements may run at once");
        sent.get(0).likeAll(1);
        sent.get(1).likeAll(2);
        assertEquals(1, first.get().likes());
        assertEquals(2, second.get().likes());
    }

    @Test
    void clicksThatArriveWhileTheStatementsRunGoOutTogetherUpToTheBatchSize() throws Exception {
        ClickQueue queue = queue(1, 3, 1000);
        click(queue, "hot", "u0");
        List<CompletableFuture<LikeChange>> waiting = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            waiting.add(click(queue, "hot", "u" + i));
        }
        assertEquals(1, sent.size(), "the others wait for the running statement");
        sent.get(0).likeAll(1);
        assertEquals(2, sent.size());
        assertEquals(List.of(new Like.Key("hot", "u1"), new Like.Key("hot", "u2"), new Like.Key("hot", "u3")),
                sent.get(1).clicks(), "one statement, in the order they came, at most 3");
        sent.get(1).likeAll(2);
        assertEquals(List.of(new Like.Key("hot", "u4")), sent.get(2).clicks());
        sent.get(2).likeAll(5);
        for (int i = 0; i < 4; i++) {
            assertEquals(i + 2, waiting.get(i).get().likes(), "answered as if applied one after another");
        }
        assertEquals(3, registry.summary("clicks").count());
        assertEquals(3, registry.summary("clicks").max());
    }

    @Test
    void eachStatementsSpanIsLinkedToTheRequestOfEveryClickItCarries() {
        ClickQueue queue = queue(1, 100, 1000);
        Tracer requests = tracing.get("requests");
        List<Span> requestSpans = new ArrayList<>();
        for (String user : List.of("u0", "u1", "u2")) {
            Span request = requests.spanBuilder("PUT " + user).startSpan();
            requestSpans.add(request);
            try (Scope ignored = request.makeCurrent()) {
                click(queue, "hot", user);
            }
        }
        sent.get(0).likeAll(1);
        sent.get(1).likeAll(2);

        List<SpanData> writes = spans.getFinishedSpanItems();
        assertEquals(List.of("likes.write like", "likes.write like"), writes.stream().map(SpanData::getName).toList());
        assertEquals(List.of(requestSpans.get(0).getSpanContext()), links(writes.get(0)), "alone: linked to its request");
        assertEquals(List.of(requestSpans.get(1).getSpanContext(), requestSpans.get(2).getSpanContext()), links(writes.get(1)),
                "together: linked to each request it answered");
        assertEquals(2L, writes.get(1).getAttributes().get(AttributeKey.longKey("likes.clicks")));
        assertTrue(writes.stream().noneMatch(write -> write.getParentSpanContext().isValid()), "the child of no single request");
    }

    private static List<SpanContext> links(SpanData span) {
        return span.getLinks().stream().map(LinkData::getSpanContext).toList();
    }

    @Test
    void aDoubleClickInOneStatementIsSentOnceAndTheRepeatChangesNothing() throws Exception {
        ClickQueue queue = queue(1, 100, 1000);
        click(queue, "post", "first");
        CompletableFuture<LikeChange> one = click(queue, "post", "ann");
        CompletableFuture<LikeChange> two = click(queue, "post", "ann");
        sent.get(0).likeAll(1);
        assertEquals(List.of(new Like.Key("post", "ann")), sent.get(1).clicks());
        sent.get(1).likeAll(2);
        assertEquals(new LikeChange("post", "ann", true, true, 2), one.get());
        assertEquals(new LikeChange("post", "ann", true, false, 2), two.get());
    }

    @Test
    void aFullQueueRefusesAtOnceInsteadOfGrowing() {
        ClickQueue queue = queue(1, 100, 2);
        click(queue, "post", "running");
        click(queue, "post", "a");
        click(queue, "post", "b");
        CompletableFuture<LikeChange> third = click(queue, "post", "c");
        assertInstanceOf(RetryLaterException.class, failure(third));
        assertEquals(1, sent.size(), "nothing more was sent");
    }

    @Test
    void aClickThatLostARaceRunsAgainAndGivesUpAfterFiveStatements() {
        ClickQueue queue = queue(1, 100, 1000);
        CompletableFuture<LikeChange> raced = click(queue, "post", "ann");
        for (int attempt = 1; attempt <= ClickQueue.MAX_ATTEMPTS; attempt++) {
            assertEquals(attempt, sent.size());
            sent.get(attempt - 1).answer().complete(List.of(ClickOutcome.RACED));
        }
        assertEquals(ClickQueue.MAX_ATTEMPTS, sent.size());
        assertInstanceOf(RetryLaterException.class, failure(raced));
    }

    @Test
    void refusedAndBarredClicksGetTheirOwnAnswersWhileTheOthersGoThrough() throws Exception {
        ClickQueue queue = queue(1, 100, 1000);
        click(queue, "post", "first");
        CompletableFuture<LikeChange> limited = click(queue, "post", "storm");
        CompletableFuture<LikeChange> suspended = click(queue, "post", "suspended");
        CompletableFuture<LikeChange> removed = click(queue, "gone", "ann");
        CompletableFuture<LikeChange> fine = click(queue, "post", "bob");
        sent.get(0).likeAll(1);
        sent.get(1).answer().complete(List.of(new ClickOutcome.Limited(42), new ClickOutcome.Barred(Barring.USER_SUSPENDED),
                new ClickOutcome.Barred(Barring.ITEM_REMOVED), new ClickOutcome.Answered(new LikeChange("post", "bob", true, true, 2))));
        TooManyRequestsException tooMany = assertInstanceOf(TooManyRequestsException.class, failure(limited));
        assertEquals(42, tooMany.retryAfterSeconds());
        assertInstanceOf(AccessDeniedException.class, failure(suspended));
        assertInstanceOf(GoneException.class, failure(removed));
        assertEquals(2, fine.get().likes());
    }

    @Test
    void aFailedStatementFailsItsClicksAndTheNextOneStillGoes() {
        ClickQueue queue = queue(1, 100, 1000);
        CompletableFuture<LikeChange> first = click(queue, "post", "ann");
        CompletableFuture<LikeChange> waiting = click(queue, "post", "bob");
        sent.get(0).answer().completeExceptionally(new IllegalStateException("connection closed"));
        assertInstanceOf(IllegalStateException.class, failure(first));
        assertEquals(2, sent.size(), "the waiting click went out");
        sent.get(1).likeAll(1);
        assertTrue(waiting.isDone() && !waiting.isCompletedExceptionally());
    }
}
