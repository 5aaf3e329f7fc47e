package dev.likes.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class RequestIdsTest {

    static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @Test
    void everyAnswerCarriesAnId() {
        given().get("/v1/items/a").then().statusCode(200).header(RequestIds.HEADER, matchesPattern(UUID));
        given().get("/v1/items/a%20b").then().statusCode(400).header(RequestIds.HEADER, matchesPattern(UUID));
        given().urlEncodingEnabled(false).get("/v1/items/a;b").then().statusCode(400)
                .header(RequestIds.HEADER, matchesPattern(UUID));
    }

    @Test
    void aCallersPlainIdIsKept() {
        given().header(RequestIds.HEADER, "edge-7f3a:42").get("/v1/items/a")
                .then().header(RequestIds.HEADER, equalTo("edge-7f3a:42"));
    }

    @Test
    void aCallersOddIdIsReplaced() {
        given().header(RequestIds.HEADER, "<script>").get("/v1/items/a")
                .then().header(RequestIds.HEADER, matchesPattern(UUID))
                .header(RequestIds.HEADER, not(equalTo("<script>")));
    }
}
