package dev.likes.citus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hash ranges of the shards of {@code likes} (and of every table co-located with it), lowest
 * first: an item belongs to the shard group whose range holds {@link ShardHash#of its hash}. Moving a
 * shard to another worker (rebalancing) keeps the ranges; splitting one changes them, and the
 * service's next call for a moved item then fails with SQLSTATE LKS01 and reloads the map.
 */
public final class ShardMap {

    /** One group: every item on plain PostgreSQL. */
    public static final ShardMap SINGLE = new ShardMap(new int[] {Integer.MIN_VALUE});

    private final int[] lowest;

    private ShardMap(int[] lowest) {
        this.lowest = lowest;
    }

    /** The map of shards whose ranges start at these values (each shard's {@code shardminvalue}). */
    public static ShardMap startingAt(int... lowest) {
        if (lowest.length == 0) {
            throw new IllegalArgumentException("a distributed table has at least one shard");
        }
        int[] sorted = lowest.clone();
        Arrays.sort(sorted);
        return new ShardMap(sorted);
    }

    public int shards() {
        return lowest.length;
    }

    /** The index of the shard group that holds {@code itemId}. */
    public int groupOf(String itemId) {
        int at = Arrays.binarySearch(lowest, ShardHash.of(itemId));
        return at >= 0 ? at : Math.max(0, -at - 2);
    }

    /** The positions of {@code itemIds} by shard group, each group in the order given, groups by first appearance. */
    public Map<Integer, List<Integer>> group(List<String> itemIds) {
        Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < itemIds.size(); i++) {
            groups.computeIfAbsent(groupOf(itemIds.get(i)), group -> new ArrayList<>()).add(i);
        }
        return groups;
    }
}
