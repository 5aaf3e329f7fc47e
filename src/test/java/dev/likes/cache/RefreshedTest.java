package dev.likes.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.smallrye.mutiny.subscription.UniEmitter;

/** A value everyone asks for, without a server: one read for all who ask while it is due. */
class RefreshedTest {

    private final AtomicLong now = new AtomicLong();
    private final List<UniEmitter<? super String>> reads = new ArrayList<>();
    private final Refreshed<String> page = new Refreshed<>(Duration.ofSeconds(1),
            () -> Uni.createFrom().emitter(reads::add), now::get);

    private UniAssertSubscriber<String> ask() {
        return page.get().subscribe().withSubscriber(UniAssertSubscriber.create());
    }

    @Test
    void manyAskingAtOnceShareOneRead() {
        List<UniAssertSubscriber<String>> asking = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            asking.add(ask());
        }
        assertEquals(1, reads.size());
        reads.get(0).complete("page 1");
        asking.forEach(answer -> answer.assertItem("page 1"));
        assertEquals(1, page.reads());
        assertEquals(49, page.hits());
    }

    @Test
    void theValueIsReadAgainOnceItIsDue() {
        ask();
        reads.get(0).complete("first");
        now.addAndGet(Duration.ofMillis(999).toNanos());
        ask().assertItem("first");
        assertEquals(1, reads.size());
        now.addAndGet(Duration.ofMillis(1).toNanos());
        UniAssertSubscriber<String> due = ask();
        assertEquals(2, reads.size());
        reads.get(1).complete("second");
        due.assertItem("second");
    }

    @Test
    void aFailedReadIsNotKept() {
        UniAssertSubscriber<String> failed = ask();
        reads.get(0).fail(new IllegalStateException("database away"));
        failed.assertFailedWith(IllegalStateException.class);
        ask();
        assertEquals(2, reads.size(), "the next request reads again");
    }
}
