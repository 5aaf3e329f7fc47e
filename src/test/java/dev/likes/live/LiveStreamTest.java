package dev.likes.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;

/** A stream's life, without a server: ended once, whoever ends it, and nothing registered after its end. */
class LiveStreamTest {

    private final AtomicInteger forgotten = new AtomicInteger();
    private final LiveStream stream = new LiveStream(List.of("a", "b"), "client", ended -> forgotten.incrementAndGet());

    @Test
    void aStreamEndedBeforeItStartsRegistersNothing() {
        stream.end(); // the client went away before its stream was subscribed
        AtomicBoolean registered = new AtomicBoolean();
        AssertSubscriber<ItemCount> client = Multi.createFrom().<ItemCount>emitter(emitter -> {
            if (!stream.start(emitter, () -> registered.compareAndSet(false, true))) {
                emitter.complete();
            }
        }).subscribe().withSubscriber(AssertSubscriber.create(10));
        client.assertCompleted();
        assertFalse(registered.get(), "a stream that has ended is never registered");
        assertEquals(1, forgotten.get());
    }

    @Test
    void anEndedStreamIsForgottenOnceAndItsAnswerEnds() {
        AssertSubscriber<ItemCount> client = Multi.createFrom().<ItemCount>emitter(emitter -> stream.start(emitter, () -> true))
                .subscribe().withSubscriber(AssertSubscriber.create(10));
        stream.send("a", 3);
        stream.send("a", 3); // no news: not sent again
        stream.send("b", 1);
        stream.end();
        stream.end();
        stream.send("a", 4); // after the end: nothing
        stream.heartbeat();
        client.assertCompleted();
        assertEquals(List.of(new ItemCount("a", 3), new ItemCount("b", 1)), client.getItems());
        assertEquals(1, forgotten.get(), "forgotten once, however many ends");
    }

    @Test
    void aStreamWhoseRegistrationIsDeclinedDoesNotStart() {
        AtomicBoolean started = new AtomicBoolean(true);
        Multi.createFrom().<ItemCount>emitter(emitter -> started.set(stream.start(emitter, () -> false)))
                .subscribe().withSubscriber(AssertSubscriber.create(10));
        assertFalse(started.get());
        stream.send("a", 1);
        assertEquals(0, forgotten.get());
        stream.end();
        assertTrue(forgotten.get() == 1, "its room still goes back when it ends");
    }
}
