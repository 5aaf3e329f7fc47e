package dev.likes.tracing;

import static dev.likes.support.TestIds.fresh;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.likes.support.Clicks;
import dev.likes.support.Clicks.Click;
import dev.likes.support.Management;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.prometheus.client.exemplars.ExemplarSampler;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The spans, caught by an in-memory exporter: one per request, and one per write statement linked
 * to the request of every click it carried.
 */
@QuarkusTest
@TestProfile(TracingTest.TracingOn.class)
class TracingTest {

    /** Tracing on, as an OTLP endpoint would turn it on; the spans go to {@link Spans} (tests export nothing over OTLP). */
    public static class TracingOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("%test.quarkus.otel.sdk.disabled", "false");
        }
    }

    /** The tests' exporter: Quarkus sends the spans to every SpanExporter bean. */
    @ApplicationScoped
    public static class Spans {
        @Produces
        @Singleton
        InMemorySpanExporter exporter() {
            return InMemorySpanExporter.create();
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    InMemorySpanExporter spans;

    @Inject
    Optional<ExemplarSampler> exemplars;

    @BeforeEach
    void forget() {
        spans.reset();
    }

    @Test
    void aLikeHasItsRequestSpanAndAWriteSpanLinkedToIt() {
        String item = fresh("traced");
        given().put("/v1/items/{item}/likes/{user}", item, "ann").then().statusCode(200);

        SpanData request = await(() -> requests().stream().filter(span -> span.getName().startsWith("PUT")).findFirst().orElse(null));
        SpanData write = await(() -> writes().stream().filter(span -> linked(span).contains(request.getSpanContext())).findFirst().orElse(null));
        assertEquals("likes.write like", write.getName());
        assertTrue(!write.getParentSpanContext().isValid(), "a write serves many requests: the child of none");
    }

    @Test
    void concurrentClicksShareWriteSpansAndEachRequestIsLinkedFromOne() {
        String item = fresh("traced-hot");
        List<Click> clicks = IntStream.range(0, 200).mapToObj(i -> Click.like(item, "user-" + i)).toList();
        assertTrue(new Clicks(base).concurrently(64, clicks).stream().allMatch(answer -> answer.status() == 200));

        Set<SpanContext> requests = await(() -> {
            Set<SpanContext> puts = requests().stream().filter(span -> span.getName().startsWith("PUT"))
                    .map(SpanData::getSpanContext).collect(Collectors.toSet());
            return puts.size() == clicks.size() ? puts : null;
        });
        // Every request is linked from a write span (await fails the test if one never is).
        await(() -> writes().stream().flatMap(span -> linked(span).stream()).collect(Collectors.toSet()).containsAll(requests) ? true : null);
        long shared = writes().stream().filter(span -> span.getLinks().size() > 1).count();
        assertTrue(shared > 0, "some statements carried several requests' clicks");
        assertTrue(writes().size() < clicks.size(), "fewer statements than clicks: " + writes().size());
    }

    @Test
    void exportedTracesAreTheMetricsExemplars() {
        assertTrue(exemplars.isPresent(), "the registry looks for exemplars (dev.likes.tracing.Exemplars)");
        given().put("/v1/items/{item}/likes/{user}", fresh("exemplar"), "ann").then().statusCode(200);
        String metrics = Management.given().accept("application/openmetrics-text; version=1.0.0; charset=utf-8")
                .get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("likes_write_seconds_bucket") && line.contains("trace_id=")),
                "a bucket of likes_write_seconds carries the trace of a click");
    }

    private List<SpanData> requests() {
        return spans.getFinishedSpanItems().stream().filter(span -> span.getKind() == SpanKind.SERVER).toList();
    }

    private List<SpanData> writes() {
        return spans.getFinishedSpanItems().stream().filter(span -> span.getName().startsWith("likes.write")).toList();
    }

    private static List<SpanContext> linked(SpanData span) {
        return span.getLinks().stream().map(LinkData::getSpanContext).toList();
    }

    /** Spans reach the exporter in batches: what {@code find} finds within 10 s. */
    private static <T> T await(java.util.function.Supplier<T> find) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            T found = find.get();
            if (found != null) {
                return found;
            }
            assertTrue(System.nanoTime() < deadline, "the spans arrived within 10 s");
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
