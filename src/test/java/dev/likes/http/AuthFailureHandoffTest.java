package dev.likes.http;

import static dev.likes.support.TestIds.fresh;
import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.ext.web.Router;

/**
 * The handoff's route runs between HTTP security's authentication filter and Quarkus REST's, so that
 * REST finds its failing handler already in place and skips its per-request path mapping: a route
 * just after REST's filter sees the handoff's handler, not the one REST would have put there. (The
 * answers to failed authentication are the auth tests' concern; they run with the handoff in place.)
 */
@QuarkusTest
class AuthFailureHandoffTest {

    static final AtomicReference<Object> AFTER_REST_FILTER = new AtomicReference<>();

    /** Quarkus REST's filter runs at order -199 (priority 199); this route right after it. */
    static final int AFTER_REST_FILTER_ORDER = -198;

    /** What handler does a request carry just after Quarkus REST's filter? */
    @ApplicationScoped
    static class AfterRestFilter {
        void install(@Observes Router router) {
            router.route().order(AFTER_REST_FILTER_ORDER).handler(context -> {
                AFTER_REST_FILTER.set(context.get(AuthFailureHandoff.KEY));
                context.next();
            });
        }
    }

    @Test
    void restFindsTheFailingHandlerInPlace() {
        AFTER_REST_FILTER.set(null);
        when().get("/v1/items/{itemId}", fresh("item")).then().statusCode(200);
        assertSame(AuthFailureHandoff.FAIL_INTO_REST, AFTER_REST_FILTER.get());

        AFTER_REST_FILTER.set(null);
        given().header("Authorization", "Bearer not-a-token").put("/v1/items/{itemId}/likes/{userId}", fresh("item"), fresh("user"))
                .then().statusCode(200);
        assertSame(AuthFailureHandoff.FAIL_INTO_REST, AFTER_REST_FILTER.get());
    }
}
