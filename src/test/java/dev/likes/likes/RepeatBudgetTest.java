package dev.likes.likes;

import static dev.likes.support.TestIds.fresh;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Repeats are free of the toggle limits but not of the write budget: one client repeating a like
 * gets 429 with Retry-After once the user's budget (2 a second, 4 at once here) is spent; nothing changes.
 */
@QuarkusTest
@TestProfile(RepeatBudgetTest.SmallBudget.class)
class RepeatBudgetTest {

    public static class SmallBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("likes.limit.writes-per-user", "2");
        }
    }

    @Test
    void aFloodOfRepeatsIsRefusedWithRetryAfterAndChangesNothing() {
        String item = fresh("item");
        String user = fresh("flooder");
        long start = System.nanoTime();
        given().put("/v1/items/{item}/likes/{user}", item, user).then().statusCode(200).body("changed", equalTo(true));
        int accepted = 1;
        io.restassured.response.Response refused = null;
        while (refused == null && accepted < 30) {
            io.restassured.response.Response answer = given().put("/v1/items/{item}/likes/{user}", item, user);
            if (answer.statusCode() == 429) {
                refused = answer;
            } else {
                answer.then().statusCode(200).body("changed", equalTo(false));
                accepted++;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(refused != null, "no 429 after " + accepted + " repeats");
        assertTrue(accepted <= 4 + Math.ceil(2 * seconds), accepted + " writes went through in " + seconds + " s");
        refused.then().contentType("application/problem+json")
                .header("Retry-After", "1")
                .body("detail", containsString("at most 2 a second, 4 at once"));
        given().put("/v1/items/{item}/likes/{user}", item, fresh("someone-else")).then().statusCode(200);
        given().get("/v1/items/{item}", item).then().statusCode(200).body("likes", equalTo(2));
    }
}
