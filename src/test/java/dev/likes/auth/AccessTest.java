package dev.likes.auth;

import static dev.likes.support.TestIds.fresh;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.likes.support.Database;
import dev.likes.support.SecuredProfile;
import dev.likes.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;

/** Users like only as themselves; backends with likes:act-for-users act for anyone; counts stay public. */
@QuarkusTest
@TestProfile(SecuredProfile.class)
class AccessTest {

    @Inject
    Database database;

    /** Every call that acts for a user, as method and path for item "{item}" and user "{user}". */
    static final List<String[]> PER_USER_CALLS = List.of(
            new String[] {"PUT", "/v1/items/{item}/likes/{user}"},
            new String[] {"DELETE", "/v1/items/{item}/likes/{user}"},
            new String[] {"GET", "/v1/items/{item}/likes/{user}"},
            new String[] {"GET", "/v1/items?ids={item}&userId={user}"},
            new String[] {"GET", "/v1/users/{user}/likes"});

    @Test
    void eachPerUserCallNeedsAToken() {
        for (String[] call : PER_USER_CALLS) {
            send(given(), call, fresh("item"), "ann")
                    .then().statusCode(401).contentType("application/problem+json")
                    .header("WWW-Authenticate", "Bearer realm=\"likes\"")
                    .body("detail", containsString("bearer token"));
        }
    }

    @Test
    void aUserActsAsThemselvesOnly() {
        for (String[] call : PER_USER_CALLS) {
            String item = fresh("item");
            send(bearer(Tokens.of("ann")), call, item, "ann").then().statusCode(200);
            send(bearer(Tokens.of("ann")), call, item, "bob")
                    .then().statusCode(403).contentType("application/problem+json")
                    .body("detail", equalTo("This token may act only for user 'ann' (its sub), not for 'bob'"));
        }
    }

    @Test
    void aBackendInTheActForUsersGroupActsForAnyone() {
        String backend = Tokens.of("shop-backend", AccessPolicy.ACT_FOR_USERS);
        for (String[] call : PER_USER_CALLS) {
            send(bearer(backend), call, fresh("item"), "anyone-" + call[0]).then().statusCode(200);
        }
        send(bearer(Tokens.of("ops", AccessPolicy.ADMIN)), PER_USER_CALLS.get(0), fresh("item"), "ann").then().statusCode(403);
    }

    @Test
    void aScopeGrantsNothingUnlessTheOperatorSaysSo() {
        Map<String, Object> scoped = Tokens.claims("shop-backend", List.of());
        scoped.put("scope", "openid likes:act-for-users likes:admin");
        String token = Tokens.sign(scoped);
        for (String[] call : PER_USER_CALLS) {
            send(bearer(token), call, fresh("item"), "anyone-" + call[0]).then().statusCode(403);
        }
        bearer(token).post("/v1/admin/recount?dryRun=true").then().statusCode(403);
    }

    @Test
    void aRefusedWriteChangesNothing() {
        String item = fresh("item");
        given().put("/v1/items/{item}/likes/{user}", item, "ann").then().statusCode(401);
        bearer(Tokens.of("bob")).put("/v1/items/{item}/likes/{user}", item, "ann").then().statusCode(403);
        assertEquals(0, database.likeRows(item));
        given().get("/v1/items/{item}", item).then().statusCode(200).body("likes", equalTo(0));
    }

    @Test
    void countsAndRankingsArePublicEvenWithAStaleToken() {
        String expired = expiredToken("ann");
        for (String path : List.of("/v1/items/post-1", "/v1/items?ids=a,b", "/v1/rankings", "/v1/rankings?window=hour")) {
            given().get(path).then().statusCode(200);
            bearer(expired).get(path).then().statusCode(200);
        }
    }

    @Test
    void theRecountIsForOperators() {
        String path = "/v1/admin/recount?dryRun=true";
        given().post(path).then().statusCode(401);
        bearer(Tokens.of("ann")).post(path).then().statusCode(403).body("detail", containsString(AccessPolicy.ADMIN));
        bearer(Tokens.of("shop-backend", AccessPolicy.ACT_FOR_USERS)).post(path).then().statusCode(403);
        bearer(Tokens.of("ops", AccessPolicy.ADMIN)).post(path).then().statusCode(200);
    }

    @Test
    void lifecycleCallsNeedTheirRoles() {
        String ann = fresh("ann");
        String backend = Tokens.of("shop-backend", AccessPolicy.ACT_FOR_USERS);
        String ops = Tokens.of("ops", AccessPolicy.ADMIN);
        // Erasing likes: the user themself, a backend or an operator.
        given().delete("/v1/users/{user}/likes", ann).then().statusCode(401);
        bearer(Tokens.of("bob")).delete("/v1/users/{user}/likes", ann).then().statusCode(403);
        String job = bearer(Tokens.of(ann)).delete("/v1/users/{user}/likes", ann).then().statusCode(202).extract().path("id");
        bearer(Tokens.of(ann)).get("/v1/lifecycle/jobs/{id}", job).then().statusCode(200);
        given().get("/v1/lifecycle/jobs/{id}", job).then().statusCode(401);
        given().get("/v1/lifecycle/jobs/{id}", "00000000-0000-0000-0000-000000000000").then().statusCode(401);
        bearer(Tokens.of("bob")).get("/v1/lifecycle/jobs/{id}", job).then().statusCode(403);
        bearer(backend).delete("/v1/users/{user}/likes", ann).then().statusCode(202);
        bearer(ops).delete("/v1/users/{user}/likes", ann).then().statusCode(202);

        // Removing an item: backends and operators; a refused removal changes nothing.
        String item = fresh("item");
        bearer(Tokens.of(ann)).delete("/v1/items/{item}", item).then().statusCode(403);
        bearer(Tokens.of(ann)).put("/v1/items/{item}/likes/{user}", item, ann).then().statusCode(200);
        bearer(Tokens.of(ann)).get("/v1/lifecycle/jobs/{id}", bearer(backend).delete("/v1/items/{item}", item)
                .then().statusCode(202).extract().path("id").toString()).then().statusCode(403);
        bearer(ops).delete("/v1/admin/items/{item}/removal", item).then().statusCode(409);
        bearer(backend).delete("/v1/admin/items/{item}/removal", item).then().statusCode(403);

        // Suspending: operators only.
        String bot = fresh("bot");
        bearer(backend).put("/v1/admin/users/{user}/suspension", bot).then().statusCode(403);
        bearer(Tokens.of(bot)).delete("/v1/admin/users/{user}/suspension", bot).then().statusCode(403);
        bearer(backend).put("/v1/items/{item}/likes/{user}", fresh("item"), bot).then().statusCode(200);
        bearer(ops).put("/v1/admin/users/{user}/suspension", bot).then().statusCode(202);
        bearer(backend).put("/v1/items/{item}/likes/{user}", fresh("item"), bot).then().statusCode(403)
                .body("detail", containsString("suspended"));
    }

    @Test
    void whoLikedIsForBackendsAndOperatorsByDefault() {
        String item = fresh("item");
        given().get("/v1/items/{item}/likes", item).then().statusCode(401);
        bearer(Tokens.of("ann")).get("/v1/items/{item}/likes", item).then().statusCode(403);
        bearer(Tokens.of("shop-backend", AccessPolicy.ACT_FOR_USERS)).get("/v1/items/{item}/likes", item).then().statusCode(200);
        bearer(Tokens.of("ops", AccessPolicy.ADMIN)).get("/v1/items/{item}/likes", item).then().statusCode(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"expired", "not yet valid", "other issuer", "other audience", "stranger's key",
            "alg none", "no subject", "garbage", "tampered"})
    void aBadTokenIsRefusedWithInvalidToken(String kind) {
        String item = fresh("item");
        bearer(badToken(kind, "ann")).put("/v1/items/{item}/likes/{user}", item, "ann")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer realm=\"likes\", error=\"invalid_token\"");
        assertEquals(0, database.likeRows(item));
    }

    @Test
    void anotherSchemeThanBearerIsNoToken() {
        given().header("Authorization", "Basic YW5uOnNlY3JldA==").put("/v1/items/{item}/likes/{user}", fresh("item"), "ann")
                .then().statusCode(401);
    }

    private static String badToken(String kind, String subject) {
        Map<String, Object> claims = Tokens.claims(subject, List.of());
        long now = Instant.now().getEpochSecond();
        switch (kind) {
            case "expired" -> {
                return expiredToken(subject);
            }
            case "not yet valid" -> claims.put("nbf", now + 3600);
            case "other issuer" -> claims.put("iss", "someone-else");
            case "other audience" -> claims.put("aud", "another-service");
            case "no subject" -> claims.remove("sub");
            case "stranger's key" -> {
                return Tokens.signedByAStranger(subject);
            }
            case "alg none" -> {
                return Tokens.unsigned(subject);
            }
            case "garbage" -> {
                return "not-a-jwt";
            }
            case "tampered" -> {
                String[] parts = Tokens.of("bob").split("\\.");
                String[] ann = Tokens.of(subject).split("\\.");
                return parts[0] + "." + ann[1] + "." + parts[2];
            }
            default -> throw new IllegalArgumentException(kind);
        }
        return Tokens.sign(claims);
    }

    private static String expiredToken(String subject) {
        Map<String, Object> claims = Tokens.claims(subject, List.of());
        long now = Instant.now().getEpochSecond();
        claims.put("iat", now - 7200);
        claims.put("exp", now - 3600);
        return Tokens.sign(claims);
    }

    private static RequestSpecification bearer(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    private static io.restassured.response.Response send(RequestSpecification request, String[] call, String item, String user) {
        String path = call[1].replace("{item}", item).replace("{user}", user);
        return request.urlEncodingEnabled(false).request(call[0], path);
    }
}
