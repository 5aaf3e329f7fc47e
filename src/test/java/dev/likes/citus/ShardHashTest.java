package dev.likes.citus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The shard map's pure rules. The hashes below are PostgreSQL 15's own {@code hashtext} of each
 * value (the same as Citus' {@code worker_hash} for a varchar column), every tail length of
 * lookup3 included; {@code ShardGroupFunctionsTest} compares 2,000 more against the test database.
 */
class ShardHashTest {

    @Test
    void hashesAsPostgresqlDoes() {
        Map<String, Integer> postgres = Map.ofEntries(
                Map.entry("", -1477818771),
                Map.entry("a", 1075015857),
                Map.entry("i1", 1310248383),
                Map.entry("abc", -785388649),
                Map.entry("abcd", -393934804),
                Map.entry("item-12345", -427352064),
                Map.entry("hello world", 1021725223),
                Map.entry("twelve chars", 1788333767),
                Map.entry("thirteen chars", -651754789),
                Map.entry("ünïcödé-ïtem", -1698441772),
                Map.entry("d1-i49", 1751143266),
                Map.entry("an item id that is longer than twenty-four bytes", 1035570421));
        postgres.forEach((value, hash) -> assertEquals(hash, ShardHash.of(value), value));
    }

    @Test
    void anItemBelongsToTheShardWhoseRangeHoldsItsHash() {
        // Citus' 4 even ranges: [-2^31, -2^30), [-2^30, 0), [0, 2^30), [2^30, 2^31).
        ShardMap four = ShardMap.startingAt(0, Integer.MIN_VALUE, 1 << 30, -(1 << 30));
        assertEquals(3, four.groupOf("i1"), "1310248383 is in the last range");
        assertEquals(2, four.groupOf("hello world"), "1021725223 is in the third");
        assertEquals(1, four.groupOf("abc"), "-785388649 is in the second");
        assertEquals(0, four.groupOf(""), "-1477818771 is in the first");
        assertEquals(3, ShardMap.startingAt(0, Integer.MIN_VALUE, 1 << 30, 1310248383).groupOf("i1"), "a range's lowest value is in it");
    }

    @Test
    void groupsKeepTheOrderGivenWithinEachGroup() {
        ShardMap two = ShardMap.startingAt(Integer.MIN_VALUE, 0);
        Map<Integer, List<Integer>> groups = two.group(List.of("i1", "abc", "a", "abcd", "i1"));
        assertEquals(Map.of(1, List.of(0, 2, 4), 0, List.of(1, 3)), groups);
        assertEquals(List.of(1, 0), List.copyOf(groups.keySet()), "groups in order of first appearance");
        assertEquals(Map.of(0, List.of(0, 1)), ShardMap.SINGLE.group(List.of("x", "y")));
        assertThrows(IllegalArgumentException.class, ShardMap::startingAt);
    }
}
