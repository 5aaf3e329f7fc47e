package dev.likes.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.likes.support.Database;
import dev.likes.support.TestIds;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/** A client's mistake gets a 4xx problem+json that says what to fix, and changes nothing. */
@QuarkusTest
class BadRequestTest {

    static final String GOOD = "good-id";

    @Inject
    Database database;

    String before;

    @BeforeEach
    void snapshotTables() {
        before = database.fingerprint();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "%20", "a%20b", "a%2Fb", "a%2F..%2Fb", "caf%C3%A9", "a%00b", "a%3Cscript%3E", "a'%3B--", "a%2Cb", "a+b", "a@b",
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void aBadItemIdIsRefusedOnEveryCall(String badId) {
        problem(given().urlEncodingEnabled(false).put("/v1/items/" + badId + "/likes/" + GOOD), 400, "itemId");
        problem(given().urlEncodingEnabled(false).delete("/v1/items/" + badId + "/likes/" + GOOD), 400, "itemId");
        problem(given().urlEncodingEnabled(false).get("/v1/items/" + badId + "/likes/" + GOOD), 400, "itemId");
        problem(given().urlEncodingEnabled(false).get("/v1/items/" + badId), 400, "itemId");
        assertNothingChanged();
    }

    @ParameterizedTest
    @ValueSource(strings = {"%20", "a%20b", "%E2%9C%93", "a%22b",
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void aBadUserIdIsRefused(String badId) {
        problem(given().urlEncodingEnabled(false).put("/v1/items/" + GOOD + "/likes/" + badId), 400, "userId");
        problem(given().urlEncodingEnabled(false).delete("/v1/items/" + GOOD + "/likes/" + badId), 400, "userId");
        problem(given().urlEncodingEnabled(false).get("/v1/items/" + GOOD + "/likes/" + badId), 400, "userId");
        problem(given().urlEncodingEnabled(false).get("/v1/items?ids=" + GOOD + "&userId=" + badId), 400, "userId");
        assertNothingChanged();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/items/good-id;x=1/likes/u", "/v1/items/good-id/likes/u;v=2", "/v1/items/good-id;"})
    void aRawSemicolonIsRefusedRatherThanStrippedAsAMatrixParameter(String path) {
        problem(given().urlEncodingEnabled(false).put(path), 400, "';' is not allowed");
        problem(given().urlEncodingEnabled(false).get(path), 400, "';' is not allowed");
        assertNothingChanged();
    }

    @ParameterizedTest
    @ValueSource(strings = {".", ".."})
    void dotSegmentsAreNotIds(String id) {
        problem(given().queryParam("ids", id).get("/v1/items"), 400, "ids");
        problem(given().queryParam("ids", "a").queryParam("userId", id).get("/v1/items"), 400, "userId");
    }

    @Test
    void anEmptyIdIsNotARoute() {
        problem(given().put("/v1/items//likes/" + GOOD), 404, "nothing at");
        // The item's likers (GET) are there, but nothing to PUT.
        problem(given().put("/v1/items/" + GOOD + "/likes/"), 405, "not allowed");
        assertNothingChanged();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ",", "a,,b", ",a", "a,", "a%20b", "%C3%A9"})
    void aBadIdListIsRefused(String ids) {
        problem(given().urlEncodingEnabled(false).get("/v1/items?ids=" + ids), 400, "ids");
    }

    @Test
    void anEmptyParameterCountsAsNotGiven() {
        given().get("/v1/rankings?limit=&after=").then().statusCode(200);
        given().get("/v1/items?ids=" + GOOD + "&userId=").then().statusCode(200).body("items[0].liked", equalTo(null));
    }

    @Test
    void anIdListIsRequired() {
        problem(given().get("/v1/items"), 400, "ids");
    }

    @Test
    void anIdListOfMoreThanAHundredIsRefused() {
        String ids = IntStream.range(0, 101).mapToObj(i -> "id" + i).collect(Collectors.joining(","));
        problem(given().queryParam("ids", ids).get("/v1/items"), 400, "at most 100");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "101", "-1", "abc", "1.5", "1e2", "%2B5", "99999999999999999999"})
    void aBadLimitIsRefused(String limit) {
        problem(given().urlEncodingEnabled(false).get("/v1/rankings?limit=" + limit), 400, "limit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "%25%25", "MTox", "MDoxOmE", "LTE6MTph", "MTowOmE", "MToxOg",
            "MToxOmEgYg", "MToxOmE=", "MToxOmE%3D"})
    void aBadCursorIsRefused(String cursor) {
        problem(given().urlEncodingEnabled(false).get("/v1/rankings?after=" + cursor), 400, "after");
    }

    @Test
    void anUnknownRouteIsNotFound() {
        problem(given().get("/v2/items/a"), 404, "nothing at");
        problem(given().get("/v1/items/a/likers"), 404, "nothing at");
        problem(given().get("/nowhere"), 404, "nothing at");
    }

    @Test
    void aWrongMethodIsNotAllowed() {
        problem(given().post("/v1/items/a/likes/b"), 405, "not allowed");
        problem(given().put("/v1/items/a"), 405, "not allowed");
        problem(given().post("/v1/rankings"), 405, "not allowed");
        assertNothingChanged();
    }

    @Test
    void aBodyOnALikeIsIgnored() {
        String item = TestIds.fresh("body");
        given().contentType("application/json").body("{\"likes\": 1000}")
                .put("/v1/items/" + item + "/likes/" + GOOD)
                .then().statusCode(200).body("likes", equalTo(1));
        given().contentType("text/plain").body("<<garbage>>")
                .delete("/v1/items/" + item + "/likes/" + GOOD)
                .then().statusCode(200).body("likes", equalTo(0));
    }

    private static ValidatableResponse problem(io.restassured.response.Response response, int status, String detail) {
        return response.then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("title", notNullValue())
                .body("detail", containsString(detail));
    }

    private void assertNothingChanged() {
        assertEquals(before, database.fingerprint(), "a refused request changed no like and no count");
    }
}
