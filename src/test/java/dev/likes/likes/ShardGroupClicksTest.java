package dev.likes.likes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.likes.citus.CitusCluster;
import dev.likes.config.EventsSwitch;
import dev.likes.db.QueryDeadline;
import dev.likes.events.OutboxStore;
import dev.likes.likes.ClickStatement.Events;
import dev.likes.likes.ClickStatement.Limits;
import dev.likes.support.Database;
import dev.likes.support.SecuredProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The write path on Citus with the toggle limits on ({@link ShardGroupClicks}: the allowance taken by
 * the users' shard groups, V10__citus_limits.sql, then the items' calls, then the allowance of what
 * changed nothing given back) against the single-node statement with its limits part, here on the
 * tests' plain PostgreSQL where both run (deploy/citus/drill.sh runs the first on a real cluster):
 * two worlds get the same random batches of likes and unlikes (repeats and barred clicks included)
 * at the same moments, with the profile's small limits and events on; every click gets the same
 * answer (changed or not, the count, or 429 and its wait), and the like rows, the users' limit logs
 * and the outbox (each item's events in order, with the count after each) end the same.
 */
@QuarkusTest
@TestProfile(SecuredProfile.class)
class ShardGroupClicksTest {

    @Inject
    CitusCluster citus;
    @Inject
    QueryDeadline deadline;
    @Inject
    LikeStore store;
    @Inject
    ChangeLimits limits;
    @Inject
    Pool pool;
    @Inject
    Database database;

    @Test
    void theShardGroupPathAnswersAsTheSingleNodeStatement() {
        // Both ways with events on (this profile has none): the worlds' outboxes are compared too.
        ShardGroupClicks clicks = new ShardGroupClicks(pool, citus, deadline, limits, store,
                new OutboxStore(new EventsSwitch(Optional.of("127.0.0.1:9"))));
        database.clear();
        database.update("INSERT INTO removed_items (item_id) VALUES ('s-gone'), ('g-gone')");
        Random random = new Random(11);
        OffsetDateTime start = OffsetDateTime.of(2030, 1, 7, 12, 0, 0, 0, ZoneOffset.UTC);
        int limited = 0;
        for (int step = 0; step < 60; step++) {
            Direction direction = random.nextInt(10) < 7 ? Direction.LIKE : Direction.UNLIKE;
            Set<String> pairs = new LinkedHashSet<>();
            int size = 1 + random.nextInt(4);
            while (pairs.size() < size) {
                int item = random.nextInt(5);
                pairs.add((item == 4 ? "gone" : "i" + item) + " u" + random.nextInt(2));
            }
            OffsetDateTime at = start.plusSeconds(step * 4L);
            List<String> single = answer(singleNode(direction, keys("s", pairs), at));
            List<String> sharded = answer(clicks.write(direction, keys("g", pairs), at).await().indefinitely());
            assertEquals(single, sharded, "step " + step + ": " + direction + " " + pairs);
            limited += (int) single.stream().filter(outcome -> outcome.startsWith("429")).count();
        }
        assertTrue(limited > 5, "the limits were reached (" + limited + " refusals)");
        assertEquals(database.rows("SELECT substr(item_id, 3) || substr(user_id, 3) FROM likes WHERE item_id LIKE 's-%' ORDER BY 1"),
                database.rows("SELECT substr(item_id, 3) || substr(user_id, 3) FROM likes WHERE item_id LIKE 'g-%' ORDER BY 1"));
        String logs = "SELECT substr(user_id, 3) || ' ' || array_to_string(ARRAY(SELECT substr(i, 3) FROM unnest(items) i), ',')"
                + " || ' ' || array_to_string(times, ',') FROM like_limits WHERE user_id LIKE $1 ORDER BY 1";
        assertEquals(database.rows(logs, "s-%"), database.rows(logs, "g-%"), "the limits' logs");
        List<String> events = database.outbox("s", false);
        assertTrue(events.size() > 20, "events recorded: " + events.size());
        assertEquals(events, database.outbox("g", true), "the events, each item's in order, with the count after each");
        assertEquals(Map.of(), database.drift());
    }

    private List<ClickOutcome> singleNode(Direction direction, List<Like.Key> batch, OffsetDateTime at) {
        String[] items = batch.stream().map(Like.Key::itemId).toArray(String[]::new);
        String[] users = batch.stream().map(Like.Key::userId).toArray(String[]::new);
        String sql = new ClickStatement(direction, Limits.ENFORCED, Events.RECORDED).sql();
        return LikeStore.answers(direction, batch, pool.preparedQuery(sql)
                .execute(Tuple.of(items, users, at, limits.perItem(), limits.perUser())).await().indefinitely());
    }

    private static List<Like.Key> keys(String world, Set<String> pairs) {
        List<Like.Key> keys = new ArrayList<>();
        for (String pair : pairs) {
            String[] parts = pair.split(" ");
            keys.add(new Like.Key(world + "-" + parts[0], world + "-" + parts[1]));
        }
        return keys;
    }

    /**
     * Each outcome in words, without the world's prefix. A repeat's count is left out: the Citus call
     * answers it from after the call's writes, the single statement from its snapshot before them
     * (both a count the item really had: docs/citus.md, "The write path").
     */
    private static List<String> answer(List<ClickOutcome> outcomes) {
        return outcomes.stream().map(outcome -> {
            if (outcome instanceof ClickOutcome.Answered answered) {
                return "200 " + answered.change().itemId().substring(2)
                        + (answered.change().changed() ? " changed, count " + answered.change().likes() : " repeated");
            }
            if (outcome instanceof ClickOutcome.Limited refused) {
                return "429 " + refused.retryAfterSeconds();
            }
            return outcome instanceof ClickOutcome.Barred barred ? "barred " + barred.why() : outcome.toString();
        }).toList();
    }
}
