package dev.likes.auth;

import static dev.likes.support.TestIds.fresh;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.likes.support.Database;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Authentication off, as an operator trying the like button would turn it off, with the default
 * LIKES_AUTH_OFF_OPENS: anyone may like as anyone, but no operator or lifecycle call is open, and
 * a refused one changes nothing.
 */
@QuarkusTest
@TestProfile(AuthOffTest.AuthOff.class)
class AuthOffTest {

    public static class AuthOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("likes.auth.enabled", "false", "likes.auth.off-opens", "user-calls");
        }
    }

    /** Every operator and lifecycle call, as method and path for item "{item}" and user "{user}". */
    static final List<String[]> CLOSED_CALLS = List.of(
            new String[] {"DELETE", "/v1/users/{user}/likes"},
            new String[] {"DELETE", "/v1/items/{item}"},
            new String[] {"GET", "/v1/items/{item}/likes"},
            new String[] {"PUT", "/v1/admin/users/{user}/suspension"},
            new String[] {"DELETE", "/v1/admin/users/{user}/suspension"},
            new String[] {"GET", "/v1/admin/users/{user}/suspension"},
            new String[] {"DELETE", "/v1/admin/items/{item}/removal"},
            new String[] {"GET", "/v1/lifecycle/jobs/00000000-0000-0000-0000-000000000000"},
            new String[] {"POST", "/v1/admin/recount"});

    @Inject
    Database database;

    @Test
    void anyoneLikesAsAnyoneButNoOperatorOrLifecycleCallIsOpen() {
        String item = fresh("open-item");
        String user = fresh("open-user");
        given().put("/v1/items/{item}/likes/{user}", item, user).then().statusCode(200);
        given().get("/v1/users/{user}/likes", user).then().statusCode(200);
        String before = database.fingerprint();
        for (String[] call : CLOSED_CALLS) {
            given().request(call[0], call[1].replace("{item}", item).replace("{user}", user))
                    .then().statusCode(403).contentType("application/problem+json")
                    .body("detail", containsString("LIKES_AUTH_OFF_OPENS=all-calls"));
        }
        assertEquals(before, database.fingerprint(), "a refused call changes nothing");
        assertEquals(1L, database.counter(item));
        assertEquals(0, database.count("SELECT count(*) FROM lifecycle_jobs WHERE subject IN ($1, $2)", item, user));
    }
}
