package dev.likes.citus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

/**
 * How {@link CitusCluster#perShardGroup(List, Function, int, Function)} cuts a shard group's share
 * into calls: an item's things together, in the order given, items in the order each first came; a
 * call closed once it holds the call size (an item with more is a call of its own).
 */
class ShardGroupPartsTest {

    @Test
    void anItemsThingsStayInOneCallAndACallClosesAtItsSize() {
        List<String> likes = List.of("a/1", "b/1", "a/2", "c/1", "c/2", "c/3", "d/1", "e/1", "e/2");
        Function<String, String> item = like -> like.substring(0, 1);
        assertEquals(List.of(List.of("a/1", "a/2", "b/1"), List.of("c/1", "c/2", "c/3"), List.of("d/1", "e/1", "e/2")),
                CitusCluster.parts(likes, item, 3));
        assertEquals(List.of(List.of("a/1", "a/2"), List.of("b/1"), List.of("c/1", "c/2", "c/3"), List.of("d/1"), List.of("e/1", "e/2")),
                CitusCluster.parts(likes, item, 1));
        assertEquals(List.of(likes.stream().sorted((x, y) -> x.charAt(0) - y.charAt(0)).toList()),
                CitusCluster.parts(likes, item, Integer.MAX_VALUE));
        assertEquals(List.of(), CitusCluster.parts(List.<String>of(), item, 3));
    }
}
