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
import dev.likes.support.Management;
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
    static final String LAG = "likes_read_replica_lag_seconds";

    @AfterEach
    void bothServersBackAndReplaying() {
        if (!PrimaryWithStandby.primary().running()) {
            PrimaryWithStandby.primary().start();
        }
        if (!PrimaryWithStandby.standby().running()) {
            PrimaryWithStandby.standby().start();
        }
        PrimaryWithStandby.standby().psql("SELECT pg_wal_replay_resume()");
        // A restarted primary or standby takes a few seconds to stream again.
        await(() -> "1".equals(PrimaryWithStandby.primary().psql("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")),
                "the standby streaming");
        await(() -> Metrics.value(LAG, "") < 1, "the standby caught up");
    }

    @Test
    void publicReadsGoToTheStandbyAndSeeALikeOnceItIsReplayed() {
        await(() -> Metrics.value(LAG, "") < 1, "the standby in use");
        String item = fresh("standby");
        when().put("/v1/items/{item}/likes/{user}", item, "ann").then().statusCode(200);
        await(() -> when().get("/v1/items/{item}", item).then().extract().path("likes").equals(1), "the like replayed");
        double before = Metrics.value(ON_STANDBY, "server=\"standby\"");
        for (int i = 0; i < 5; i++) {
            when().get("/v1/items/{item}", item).then().statusCode(200).body("likes", equalTo(1));
        }
        assertTrue(Metrics.value(ON_STANDBY, "server=\"standby\"") > before, "the standby answered");
    }

    @Test
    void aStandbyThatFallsBehindServesNothingUntilItCatchesUp() {
        await(() -> Metrics.value(LAG, "") < 1, "the standby in use");
        PrimaryWithStandby.standby().psql("SELECT pg_wal_replay_pause()");
        String item = fresh("behind");
        when().put("/v1/items/{item}/likes/{user}", item, "ann").then().statusCode(200);
        await(() -> Metrics.value(LAG, "") > 1, "the lag measured beyond the bound");

        when().get("/v1/items/{item}", item).then().statusCode(200).body("likes", equalTo(1));
        assertEquals("0", PrimaryWithStandby.standby().psql("SELECT count(*) FROM likes WHERE item_id = '" + item + "'"),
                "the standby really is behind: that answer came from the primary");

        PrimaryWithStandby.standby().psql("SELECT pg_wal_replay_resume()");
        await(() -> Metrics.value(LAG, "") < 1, "caught up");
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

    /** What clients see between a primary's loss and a new primary: reads go on, writes are 503s to retry. */
    @Test
    void whileThePrimaryIsAwayPublicReadsGoOnAndWritesAre503sToRetry() {
        String item = fresh("failover");
        when().put("/v1/items/{item}/likes/{user}", item, "ann").then().statusCode(200);
        await(() -> "1".equals(PrimaryWithStandby.standby().psql("SELECT count(*) FROM likes WHERE item_id = '" + item + "'")),
                "the like on the standby");
        PrimaryWithStandby.primary().stop();

        for (int i = 0; i < 10; i++) {
            when().get("/v1/items/{item}", item).then().statusCode(200).body("likes", equalTo(1));
            when().get("/v1/rankings?window=day").then().statusCode(200);
        }
        when().put("/v1/items/{item}/likes/{user}", item, "bob").then().statusCode(503)
                .contentType("application/problem+json").header("Retry-After", "1");
        Management.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'database' }.data.primary", equalTo("down"))
                .body("checks.find { it.name == 'database' }.data.standby", equalTo("up"));

        PrimaryWithStandby.primary().start();
        await(() -> when().put("/v1/items/{item}/likes/{user}", item, "bob").then().extract().statusCode() == 200,
                "writes back once the primary is");
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
