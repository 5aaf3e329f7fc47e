package dev.likes.counting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** The ids waiting for an announcement, without a server: each once, and never more than the ceiling. */
class PendingIdsTest {

    @Test
    void eachIdWaitsOnceAndIsTakenOnce() {
        PendingIds pending = new PendingIds(10);
        pending.addAll(List.of("a", "b", "a"));
        pending.addAll(List.of("b", "c"));
        assertEquals(3, pending.takeAll().size());
        assertTrue(pending.isEmpty());
        assertEquals(List.of(), pending.takeAll());
    }

    @Test
    void beyondTheCeilingEverythingIsAnnouncedInstead() {
        PendingIds pending = new PendingIds(10);
        pending.addAll(IntStream.range(0, 11).mapToObj(i -> "item-" + i).toList());
        assertEquals(List.of(CountAnnouncer.EVERYTHING), pending.takeAll(), "one announcement instead of eleven ids");
        pending.addAll(IntStream.range(0, 8).mapToObj(i -> "item-" + i).toList());
        pending.addAll(IntStream.range(8, 16).mapToObj(i -> "item-" + i).toList());
        assertEquals(List.of(CountAnnouncer.EVERYTHING), pending.takeAll(), "in steps too");
    }
}
