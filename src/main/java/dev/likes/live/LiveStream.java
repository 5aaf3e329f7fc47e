package dev.likes.live;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.smallrye.mutiny.subscription.MultiEmitter;

/**
 * One client's stream: the items it follows, the count of each it was sent last (so it gets news
 * only), and its life: admitted (its room in the replica's budget taken), streaming, ended. Ending is
 * one step, taken once, whoever ends it first (the client's answer or connection ending, its events
 * overflowing, the replica going away): the room goes back to the budget and the replica forgets the
 * stream everywhere, so that nothing of a closed stream stays behind, however fast streams come and go.
 */
public final class LiveStream {

    private enum State { ADMITTED, STREAMING, ENDED }

    final List<String> itemIds;
    final String client;
    /** Gives the room back and forgets the stream: run once, under this stream's lock. */
    private final Consumer<LiveStream> forget;
    /** The following are guarded by this. */
    private State state = State.ADMITTED;
    private MultiEmitter<? super ItemCount> emitter;
    private final Map<String, Long> sent = new HashMap<>();

    LiveStream(List<String> itemIds, String client, Consumer<LiveStream> forget) {
        this.itemIds = itemIds;
        this.client = client;
        this.forget = forget;
    }

    /**
     * Starts streaming to {@code emitter} and registers the stream ({@code register}, under this
     * stream's lock, so that an end cannot slip between the two); false, with nothing registered, when
     * the stream has already ended or {@code register} declines.
     */
    synchronized boolean start(MultiEmitter<? super ItemCount> emitter, BooleanSupplier register) {
        if (state != State.ADMITTED || !register.getAsBoolean()) {
            return false;
        }
        this.emitter = emitter;
        state = State.STREAMING;
        return true;
    }

    /** Ends the stream (the first call only): its room and every trace of it go, and its answer ends. */
    public void end() {
        MultiEmitter<? super ItemCount> ending;
        synchronized (this) {
            if (state == State.ENDED) {
                return;
            }
            ending = emitter;
            state = State.ENDED;
            sent.clear();
            forget.accept(this);
        }
        if (ending != null) {
            ending.complete();
        }
    }

    synchronized void send(String itemId, long likes) {
        if (state == State.STREAMING) {
            Long before = sent.put(itemId, likes);
            if (before == null || before != likes) {
                emitter.emit(new ItemCount(itemId, likes));
            }
        }
    }

    synchronized void heartbeat() {
        if (state == State.STREAMING) {
            emitter.emit(ItemCount.HEARTBEAT);
        }
    }
}
