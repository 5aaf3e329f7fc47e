package dev.likes.live;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.likes.api.RetryLaterException;
import dev.likes.api.TooManyRequestsException;

/**
 * What a replica lets its live streams hold: streams per client (then 429), and streams and followed
 * item ids for all clients together (then 503). Checking and taking room are one step, so a stream
 * is either refused before its answer starts or has its room until it is given back.
 */
final class StreamBudget {

    /** Seconds a refused client should wait before trying again. */
    static final long RETRY_AFTER_SECONDS = 5;

    private final int maxStreams;
    private final int maxFollowed;
    private final int maxStreamsPerClient;
    private final Map<String, Integer> byClient = new HashMap<>();
    private int streams;
    private int followed;

    StreamBudget(int maxStreams, int maxFollowed, int maxStreamsPerClient) {
        this.maxStreams = maxStreams;
        this.maxFollowed = maxFollowed;
        this.maxStreamsPerClient = maxStreamsPerClient;
    }

    /** Takes room for a stream of {@code itemIds} for {@code client}, or throws 503 (replica) or 429 (client). */
    synchronized void take(List<String> itemIds, String client) {
        if (streams >= maxStreams || followed + itemIds.size() > maxFollowed) {
            throw new RetryLaterException("This replica follows as many live counts as it may (" + maxStreams
                    + " streams, " + maxFollowed + " item ids in all); retry shortly", RETRY_AFTER_SECONDS);
        }
        if (byClient.getOrDefault(client, 0) >= maxStreamsPerClient) {
            throw new TooManyRequestsException("At most " + maxStreamsPerClient
                    + " live streams per client; close one first", RETRY_AFTER_SECONDS);
        }
        streams++;
        followed += itemIds.size();
        byClient.merge(client, 1, Integer::sum);
    }

    /** Gives back the room {@link #take} took; once per take. */
    synchronized void giveBack(List<String> itemIds, String client) {
        streams--;
        followed -= itemIds.size();
        byClient.computeIfPresent(client, (id, count) -> count <= 1 ? null : count - 1);
    }

    /** Item ids followed by the streams holding room. */
    synchronized int followed() {
        return followed;
    }
}
