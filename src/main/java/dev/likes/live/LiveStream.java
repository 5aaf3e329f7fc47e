package dev.likes.live;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.smallrye.mutiny.subscription.MultiEmitter;

/** One client's stream: the items it follows, and the count of each it was sent last (so it gets news only). */
final class LiveStream {

    final List<String> itemIds;
    final String client;
    private final MultiEmitter<? super ItemCount> emitter;
    /** Guarded by this. */
    private final Map<String, Long> sent = new HashMap<>();

    LiveStream(List<String> itemIds, String client, MultiEmitter<? super ItemCount> emitter) {
        this.itemIds = itemIds;
        this.client = client;
        this.emitter = emitter;
    }

    synchronized void send(String itemId, long likes) {
        Long before = sent.put(itemId, likes);
        if (before == null || before != likes) {
            emitter.emit(new ItemCount(itemId, likes));
        }
    }

    synchronized void heartbeat() {
        emitter.emit(ItemCount.HEARTBEAT);
    }

    void end() {
        emitter.complete();
    }
}
