package dev.likes.live;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.smallrye.mutiny.subscription.MultiEmitter;

/**
 * One client's stream: the items it follows, the count of each it was sent last (so it gets news
 * only), and the room it holds in the replica's budget from admission until it is released.
 */
public final class LiveStream {

    final List<String> itemIds;
    final String client;
    private final Consumer<LiveStream> giveBack;
    private final AtomicBoolean released = new AtomicBoolean();
    /** Set once the stream starts, before it is announced to the flush and heartbeats. */
    private volatile MultiEmitter<? super ItemCount> emitter;
    /** Guarded by this. */
    private final Map<String, Long> sent = new HashMap<>();

    LiveStream(List<String> itemIds, String client, Consumer<LiveStream> giveBack) {
        this.itemIds = itemIds;
        this.client = client;
        this.giveBack = giveBack;
    }

    void start(MultiEmitter<? super ItemCount> emitter) {
        this.emitter = emitter;
    }

    /** Gives the stream's room in the budget back; the first call only. */
    public void release() {
        if (released.compareAndSet(false, true)) {
            giveBack.accept(this);
        }
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
