package dev.likes.ha;

import static dev.likes.support.TestIds.fresh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.likes.support.Management;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Public reads have a share of the primary of their own (one connection and one waiting read here):
 * a flood of them beyond it is answered 503 with Retry-After at once, while readiness and likes, on
 * connections of their own, answer 200 throughout.
 */
@QuarkusTest
@TestProfile(ReadShareTest.SmallShare.class)
class ReadShareTest {

    public static class SmallShare implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("likes.read.share-pool-size", "1", "likes.read.share-max-waiting", "1");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void aFullReadShareSheds503WhileReadinessAndLikesAnswer() {
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
        List<Integer> readiness = new ArrayList<>();
        List<Integer> likes = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 40; i++) {
                String ids = IntStream.range(0, 50).mapToObj(n -> fresh("flooded")).collect(Collectors.joining(","));
                flood.add(http.sendAsync(HttpRequest.newBuilder(base.resolve("/v1/items?ids=" + ids)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            readiness.add(Management.given().get("/q/health/ready").then().extract().statusCode());
            likes.add(io.restassured.RestAssured.when().put("/v1/items/{item}/likes/{user}", fresh("liked"), "ann")
                    .then().extract().statusCode());
        }
        List<HttpResponse<String>> answers = flood.stream().map(CompletableFuture::join).toList();
        List<HttpResponse<String>> shed = answers.stream().filter(answer -> answer.statusCode() == 503).toList();
        assertTrue(!shed.isEmpty(), "some of " + answers.size() + " reads at once were shed");
        for (HttpResponse<String> answer : shed) {
            assertEquals("1", answer.headers().firstValue("Retry-After").orElse(null));
            assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
            assertTrue(answer.body().contains("public reads"), answer.body());
        }
        assertTrue(answers.stream().allMatch(answer -> answer.statusCode() == 200 || answer.statusCode() == 503),
                "every read answered, 200 or 503");
        assertEquals(List.of(200, 200, 200, 200, 200, 200, 200, 200, 200, 200), readiness, "ready throughout");
        assertEquals(List.of(200, 200, 200, 200, 200, 200, 200, 200, 200, 200), likes, "liking throughout");
    }
}
