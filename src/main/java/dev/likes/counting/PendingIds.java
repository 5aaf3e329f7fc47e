package dev.likes.counting;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The item ids waiting to be announced as changed, each once, at most {@code ceiling} of them: beyond,
 * they are replaced by the one announcement that anything may have changed ({@link CountAnnouncer#EVERYTHING}),
 * which costs the listeners a full read of what they follow instead of unbounded memory here.
 */
final class PendingIds {

    private final int ceiling;
    private final Set<String> ids = ConcurrentHashMap.newKeySet();

    PendingIds(int ceiling) {
        this.ceiling = ceiling;
    }

    void addAll(Collection<String> changed) {
        ids.addAll(changed);
        if (ids.size() > ceiling) {
            ids.clear();
            ids.add(CountAnnouncer.EVERYTHING);
        }
    }

    boolean isEmpty() {
        return ids.isEmpty();
    }

    /** Takes every id waiting now (each goes to one taker). */
    List<String> takeAll() {
        List<String> taken = new ArrayList<>(ids.size());
        for (String id : ids) {
            if (ids.remove(id)) {
                taken.add(id);
            }
        }
        return taken;
    }
}
