package dev.likes.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** Browsers on the configured origins (the test profile allows https://shop.example) and no others. */
@QuarkusTest
class CorsTest {

    @Test
    void aLikeButtonOnAnAllowedOriginMayPutWithItsToken() {
        given().header("Origin", "https://shop.example")
                .header("Access-Control-Request-Method", "PUT")
                .header("Access-Control-Request-Headers", "authorization")
                .options("/v1/items/post-1/likes/ann")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", "https://shop.example")
                .header("Access-Control-Allow-Methods", containsString("PUT"))
                .header("Access-Control-Allow-Headers", containsString("Authorization"));
        given().header("Origin", "https://shop.example").get("/v1/items/post-1")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo("https://shop.example"))
                .header("Access-Control-Expose-Headers", containsString("Retry-After"));
    }

    @Test
    void anyOtherOriginIsRefused() {
        given().header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "PUT")
                .options("/v1/items/post-1/likes/ann")
                .then().statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue());
        given().header("Origin", "https://evil.example").get("/v1/items/post-1")
                .then().header("Access-Control-Allow-Origin", nullValue());
    }
}
