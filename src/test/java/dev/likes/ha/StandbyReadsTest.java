package dev.likes.ha;

import static dev.likes.support.TestIds.fresh;
import static io.restassured.RestAssured.when;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.likes.support.Metrics;
import dev.likes.support.PrimaryWithStandby;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Public reads on a real streaming standby: served there while it keeps up, from the primary when it
 * falls behind more than the bound (1 s here) or goes away; a user's own state always from the primary.
 */
@QuarkusTest
@QuarkusTestResource(value = PrimaryWithStandby.class, restrictToAnnotatedClass = true)
class StandbyReadsTest {

    static final String ON_STANDBY = "likes_reads_total";

    @AfterEach
    void standbyBackAndReplaying() {
        if (!PrimaryWithStandby.standby().running()) {
            PrimaryWithStandby.standby().start();
        }
        PrimaryWithStandby.standby().psql("SELECT pg_wal_replay_resume()");
    }

    @Test
    void publicReadsGoToTheStandbyAndSeeALikeOnceItIsReplayed() {
        String item = fresh("standby");
        double before = Metrics.value(ON_STANDBY, "server=\"standby\"");
        when().put("/v1/items/{item}/likes/{user}", item, "ann").then().statusCode(200);
        await(() -> when().get("/v1/items/{item}", item).then().extract().path("likes").equals(1), "the like replayed");
        assertTrue(Metrics.value(ON_STANDBY, "server=\"standby\"") > before, "the standby answered");
        assertTrue(Metrics.value("likes_read_replica_lag_seconds", "") < 1);
    }

    @Test
    void aStandbyThatFallsBehindServesNothingUntilItCatchesUp() {
        PrimaryWithStandby.standby().psql("SELECT pg_wal_replay_pause()");
        String item = fresh("behind");
        when().put("/v1/items/{item}/likes/{user}", item, "ann").then().statusCode(200);
        // The standby still shows 0; within the bound and a check, reads go to the primary and show 1.
        await(() -> when().get("/v1/items/{item}", item).then().extract().path("likes").equals(1), "reads on the primary");
        assertTrue(Metrics.value("likes_read_replica_lag_seconds", "") >= 1, "the lag is shown");
        assertEquals("0", PrimaryWithStandby.standby().psql("SELECT count(*) FROM likes WHERE item_id = '" + item + "'"),
                "the standby really is behind");

        PrimaryWithStandby.standby().psql("SELECT pg_wal_replay_resume()");
        await(() -> Metrics.value("likes_read_replica_lag_seconds", "") < 1, "caught up");
        double before = Metrics.value(ON_STANDBY, "server=\"standby\"");
        when().get("/v1/rankings").then().statusCode(200);
        assertTrue(Metrics.value(ON_STANDBY, "server=\"standby\"") > before, "back on the standby");
    }

    @Test
    void aUsersOwnStateIsReadOnThePrimary() {
        PrimaryWithStandby.standby().psql("SELECT pg_wal_replay_pause()");
        String item = fresh("mine");
        when().put("/v1/items/{item}/likes/{user}", item, "ann").then().statusCode(200);
        when().get("/v1/items?ids={item}&userId=ann", item).then().statusCode(200)
                .body("items[0].liked", equalTo(true)).body("items[0].likes", equalTo(1));
        when().get("/v1/items/{item}/likes/ann", item).then().statusCode(200).body("liked", equalTo(true));
    }

    @Test
    void aStandbyThatGoesAwayCostsNoAnswers() {
        String item = fresh("away");
        when().put("/v1/items/{item}/likes/{user}", item, "ann").then().statusCode(200);
        PrimaryWithStandby.standby().stop();
        for (int i = 0; i < 20; i++) {
            when().get("/v1/items/{item}", item).then().statusCode(200).body("likes", equalTo(1));
            when().get("/v1/rankings?window=hour").then().statusCode(200);
        }
        PrimaryWithStandby.standby().start();
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
