package dev.likes.likes;

import static dev.likes.support.TestIds.fresh;
import static io.restassured.RestAssured.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.likes.support.Metrics;
import dev.likes.support.Management;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.prometheus.client.exemplars.ExemplarSampler;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class LikeMetricsTest {

    @Inject
    InMemorySpanExporter spans;

    /** What the Prometheus registry is given to look for exemplars with (dev.likes.tracing.Exemplars). */
    @Inject
    Optional<ExemplarSampler> exemplars;

    @Test
    void likesUnlikesAndRepeatsAreCountedAndTimed() {
        double liked = Metrics.value("likes_applied_total", "action=\"like\"");
        double repeated = Metrics.value("likes_repeats_total", "action=\"like\"");
        double unliked = Metrics.value("likes_applied_total", "action=\"unlike\"");
        double timed = Metrics.value("likes_write_seconds_count", "action=\"like\",outcome=\"ok\"");

        String item = fresh("metered");
        when().put("/v1/items/{item}/likes/{user}", item, "alice").then().statusCode(200);
        when().put("/v1/items/{item}/likes/{user}", item, "alice").then().statusCode(200);
        when().delete("/v1/items/{item}/likes/{user}", item, "alice").then().statusCode(200);

        assertEquals(liked + 1, Metrics.value("likes_applied_total", "action=\"like\""));
        assertEquals(repeated + 1, Metrics.value("likes_repeats_total", "action=\"like\""));
        assertEquals(unliked + 1, Metrics.value("likes_applied_total", "action=\"unlike\""));
        assertEquals(timed + 2, Metrics.value("likes_write_seconds_count", "action=\"like\",outcome=\"ok\""));
    }

    @Test
    void withoutAnOtlpEndpointNoSpanIsExported() throws InterruptedException {
        when().put("/v1/items/{item}/likes/{user}", fresh("untraced"), "alice").then().statusCode(200);
        Thread.sleep(200);
        assertEquals(List.of(), spans.getFinishedSpanItems(), "the tests' exporter (TracingTest.Spans) got nothing: see dev.likes.tracing.TracingSwitch");
    }

    @Test
    void withoutAnOtlpEndpointNoRecordLooksForAnExemplar() {
        assertTrue(exemplars.isEmpty(), "the registry's exemplar sampler: " + exemplars);
    }

    @Test
    void theDatabasePoolIsMeasured() {
        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String gauge : new String[] {"sql_pool_active", "sql_pool_idle", "sql_pool_queue_size"}) {
            assertTrue(metrics.contains("\n" + gauge + "{"), gauge);
        }
    }

    @Test
    void rejectedRequestsAreCountedByReason() {
        double badIds = Metrics.value("likes_rejected_total", "reason=\"invalid_id\"");
        double badLimits = Metrics.value("likes_rejected_total", "reason=\"invalid_limit\"");

        when().put("/v1/items/{item}/likes/{user}", "a b", "alice").then().statusCode(400);
        when().get("/v1/rankings?limit=0").then().statusCode(400);

        assertEquals(badIds + 1, Metrics.value("likes_rejected_total", "reason=\"invalid_id\""));
        assertEquals(badLimits + 1, Metrics.value("likes_rejected_total", "reason=\"invalid_limit\""));
    }
}
