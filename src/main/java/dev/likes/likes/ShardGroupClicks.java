package dev.likes.likes;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import dev.likes.citus.CitusCluster;
import dev.likes.db.QueryDeadline;
import dev.likes.db.Writes;
import dev.likes.events.OutboxStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The clicks of a batch on Citus (docs/citus.md, "The write path" and "Toggle limits"): one call per
 * shard group ({@link ClickStatement#onShardGroup}, with the events while they are on), all sent at once, each its own transaction on
 * its group's worker. With the toggle limits on, the clicks first take their allowance, one call
 * per shard group of their users ({@link #TAKE}, V10__citus_limits.sql): a refused click is answered
 * 429 without reaching its item, unless it repeats its like's state (then it is answered as the
 * repeat it is: a repeat is never limited, as on one PostgreSQL); a granted click that changed
 * nothing gets its allowance back ({@link #GIVE_BACK}), so what the limits count is changes; a
 * barred click takes none.
 *
 * <p>On plain PostgreSQL this runs too (one group), which is how the tests compare it with the
 * single-node statement.
 */
@ApplicationScoped
public class ShardGroupClicks {

    /** $1 the users' shard group's first user, $2 the users, $3 the items, $4 now, $5/$6 the limits per item and per user. */
    static final String TAKE = "SELECT wait FROM likes_limit_group($1, $2, $3, $4, $5, $6)";

    /** $1 the users' shard group's first user, $2 the users, $3 the items of the clicks granted at $4 that changed nothing. */
    static final String GIVE_BACK = "SELECT likes_limit_refund($1, $2, $3, $4)";

    private final Pool pool;
    private final CitusCluster citus;
    private final QueryDeadline deadline;
    private final ChangeLimits limits;
    private final LikeStore store;
    /** The items' calls: with their events while events are on. */
    private final String call;

    public ShardGroupClicks(Pool pool, CitusCluster citus, QueryDeadline deadline, ChangeLimits limits, LikeStore store,
            OutboxStore outbox) {
        this.pool = pool;
        this.citus = citus;
        this.deadline = deadline;
        this.limits = limits;
        this.store = store;
        this.call = ClickStatement.onShardGroup(outbox.enabled() ? ClickStatement.Events.RECORDED : ClickStatement.Events.OFF);
    }

    /** What became of each click, in the order of the clicks; {@code at} dates the likes and the allowance. */
    Uni<List<ClickOutcome>> write(Direction direction, List<Like.Key> clicks, OffsetDateTime at) {
        return limits.enabled() ? limited(direction, clicks, at, true) : byShardGroup(direction, clicks, at, true);
    }

    /**
     * The allowance first, then the granted clicks' calls, then the allowance back for what changed
     * nothing. A refused click of a user who got allowance back in that batch (a repeat of theirs took
     * it first) is asked again, once, as the single-node statement would have granted it.
     */
    private Uni<List<ClickOutcome>> limited(Direction direction, List<Like.Key> clicks, OffsetDateTime at, boolean askAgain) {
        return byGroup(clicks, Like.Key::userId, group -> take(group, at), Allowance.Unknown::new).flatMap(allowed -> {
            List<Integer> granted = new ArrayList<>();
            ClickOutcome[] outcomes = new ClickOutcome[clicks.size()];
            List<Uni<Void>> refused = new ArrayList<>();
            for (int i = 0; i < clicks.size(); i++) {
                int position = i;
                if (allowed.get(i) instanceof Allowance.Refused refusal) {
                    refused.add(unlessRepeat(direction, clicks.get(i), new ClickOutcome.Limited(refusal.seconds()))
                            .invoke(outcome -> outcomes[position] = outcome).replaceWithVoid());
                } else if (allowed.get(i) instanceof Allowance.Unknown unknown) {
                    outcomes[i] = new ClickOutcome.Failed(unknown.failure());
                } else {
                    granted.add(i);
                }
            }
            List<Like.Key> grantedClicks = granted.stream().map(clicks::get).toList();
            Uni<List<ClickOutcome>> written = grantedClicks.isEmpty() ? Uni.createFrom().item(List.of())
                    : byShardGroup(direction, grantedClicks, at, true);
            Uni<Void> answered = refused.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(refused).andFailFast().replaceWithVoid();
            return written.call(answers -> giveBack(grantedClicks, answers, at)).flatMap(answers -> answered.flatMap(done -> {
                Set<String> refunded = new HashSet<>();
                for (int i = 0; i < granted.size(); i++) {
                    outcomes[granted.get(i)] = answers.get(i);
                    if (unchanged(answers.get(i))) {
                        refunded.add(grantedClicks.get(i).userId());
                    }
                }
                List<Integer> again = new ArrayList<>();
                for (int i = 0; i < outcomes.length; i++) {
                    if (outcomes[i] instanceof ClickOutcome.Limited && refunded.contains(clicks.get(i).userId())) {
                        again.add(i);
                    }
                }
                if (again.isEmpty() || !askAgain) {
                    return Uni.createFrom().item(Arrays.asList(outcomes));
                }
                return limited(direction, again.stream().map(clicks::get).toList(), at, false).map(retried -> {
                    for (int i = 0; i < again.size(); i++) {
                        outcomes[again.get(i)] = retried.get(i);
                    }
                    return Arrays.asList(outcomes);
                });
            }));
        });
    }

    /** A granted click that changed nothing: a repeat of its like's state. */
    private static boolean unchanged(ClickOutcome outcome) {
        return outcome instanceof ClickOutcome.Answered answered && !answered.change().changed();
    }

    /** What the limits said of a click: granted, refused for some seconds, or not known (the call failed). */
    private sealed interface Allowance {
        record Granted() implements Allowance {
        }

        record Refused(long seconds) implements Allowance {
        }

        record Unknown(Throwable failure) implements Allowance {
        }
    }

    /** Each click's allowance, for one shard group of users. */
    private Uni<List<Allowance>> take(List<Like.Key> group, OffsetDateTime at) {
        String[] users = group.stream().map(Like.Key::userId).toArray(String[]::new);
        String[] items = group.stream().map(Like.Key::itemId).toArray(String[]::new);
        return deadline.bound(Writes.execute(pool, TAKE, Tuple.tuple(List.of(users[0], users, items, at, limits.perItem(), limits.perUser()))))
                .map(rows -> {
                    List<Allowance> decided = new ArrayList<>(group.size());
                    for (Row row : rows) {
                        int wait = row.getInteger("wait");
                        decided.add(wait > 0 ? new Allowance.Refused(wait) : new Allowance.Granted());
                    }
                    return decided;
                });
    }

    /** A refused click that repeats its like's state (read on the primary) is answered as that repeat. */
    private Uni<ClickOutcome> unlessRepeat(Direction direction, Like.Key click, ClickOutcome.Limited limited) {
        return store.counts(List.of(click.itemId()), click.userId()).map(counts -> {
            ItemLikes now = counts.get(0);
            return now.liked() == direction.likes()
                    ? new ClickOutcome.Answered(new LikeChange(click.itemId(), click.userId(), direction.likes(), false, now.likes()))
                    : (ClickOutcome) limited;
        }).onFailure().recoverWithItem(failure -> new ClickOutcome.Failed(failure));
    }

    /**
     * The allowance back for the granted clicks that changed nothing (repeats; a barred click took
     * none). Its failure keeps the answers: those clicks then count until they are a minute old
     * (stricter, never looser).
     */
    private Uni<Void> giveBack(List<Like.Key> granted, List<ClickOutcome> answers, OffsetDateTime at) {
        List<Like.Key> unchanged = new ArrayList<>();
        for (int i = 0; i < granted.size(); i++) {
            if (unchanged(answers.get(i))) {
                unchanged.add(granted.get(i));
            }
        }
        if (unchanged.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return byGroup(unchanged, Like.Key::userId, group -> {
            String[] users = group.stream().map(Like.Key::userId).toArray(String[]::new);
            String[] items = group.stream().map(Like.Key::itemId).toArray(String[]::new);
            return deadline.bound(Writes.execute(pool, GIVE_BACK, Tuple.of(users[0], users, items, at)))
                    .map(rows -> Collections.nCopies(group.size(), Boolean.TRUE));
        }, failure -> Boolean.FALSE).replaceWithVoid();
    }

    /**
     * The clicks' calls by the shard group of their items. A call that met an item of another group
     * (a shard was split since the map was read) is sent again, once, after reloading the map.
     */
    private Uni<List<ClickOutcome>> byShardGroup(Direction direction, List<Like.Key> clicks, OffsetDateTime at, boolean reloadOnce) {
        return byGroup(clicks, Like.Key::itemId, group -> {
            String[] items = group.stream().map(Like.Key::itemId).toArray(String[]::new);
            String[] users = group.stream().map(Like.Key::userId).toArray(String[]::new);
            return deadline.bound(Writes.execute(pool, call, Tuple.of(items[0], direction.likes(), items, users, at)))
                    .map(rows -> LikeStore.answers(direction, group, rows));
        }, ClickOutcome.Failed::new).flatMap(outcomes -> {
            List<Integer> misplaced = new ArrayList<>();
            for (int i = 0; i < outcomes.size(); i++) {
                if (outcomes.get(i) instanceof ClickOutcome.Failed failed && CitusCluster.otherShard(failed.failure())) {
                    misplaced.add(i);
                }
            }
            if (misplaced.isEmpty() || !reloadOnce) {
                return Uni.createFrom().item(outcomes);
            }
            List<Like.Key> again = misplaced.stream().map(clicks::get).toList();
            // Should the reload itself fail, those clicks keep their failure and the others their answers.
            return citus.reload().flatMap(map -> byShardGroup(direction, again, at, false)).map(retried -> {
                List<ClickOutcome> merged = new ArrayList<>(outcomes);
                for (int i = 0; i < misplaced.size(); i++) {
                    merged.set(misplaced.get(i), retried.get(i));
                }
                return (List<ClickOutcome>) merged;
            }).onFailure().recoverWithItem(() -> outcomes);
        });
    }

    /**
     * {@code call} for the clicks of each shard group of {@code key} (their items' or their users'),
     * all at once; the answers in the order of the clicks. A group whose call fails answers each of
     * its clicks with {@code failed} of that failure, and the other groups' answers stand.
     */
    private <T> Uni<List<T>> byGroup(List<Like.Key> clicks, Function<Like.Key, String> key,
            Function<List<Like.Key>, Uni<List<T>>> call, Function<Throwable, T> failed) {
        Map<Integer, List<Integer>> groups = citus.shards().group(clicks.stream().map(key).toList());
        List<List<Integer>> positions = new ArrayList<>(groups.values());
        List<Uni<List<T>>> calls = new ArrayList<>(positions.size());
        for (List<Integer> group : positions) {
            List<Like.Key> groupClicks = group.stream().map(clicks::get).toList();
            calls.add(call.apply(groupClicks).onFailure().recoverWithItem(failure -> Collections.nCopies(groupClicks.size(), failed.apply(failure))));
        }
        return Uni.join().all(calls).andFailFast().map(answered -> {
            List<T> answers = new ArrayList<>(Collections.nCopies(clicks.size(), null));
            for (int g = 0; g < positions.size(); g++) {
                for (int i = 0; i < positions.get(g).size(); i++) {
                    answers.set(positions.get(g).get(i), answered.get(g).get(i));
                }
            }
            return answers;
        });
    }
}
