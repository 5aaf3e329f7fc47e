package dev.likes.http;

import java.util.function.BiConsumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.security.HttpSecurityRecorder.DefaultAuthFailureHandler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Gives every request the authentication-failure handler that Quarkus REST would give it, without
 * the work Quarkus REST (3.34) does each time to give it. HTTP security's authentication filter puts
 * its default handler on each request; Quarkus REST's next filter swaps it for one that fails the
 * request into REST's own exception mapping, but first, so that the metrics of a request refused by
 * proactive authentication carry its path template, maps the path to a resource method by building
 * a new {@code RequestMapper} of every resource class: about a twentieth of a click's profile
 * samples. Here authentication is never proactive ({@code quarkus.http.auth.proactive=false}): the
 * identity is asked for inside the resource method ({@code auth.AccessPolicy}), after REST has
 * matched the request and set the template itself, so that mapping is never needed. This route runs
 * between the two filters and puts the same failing handler first, which the REST filter then
 * leaves alone.
 * {@code AuthFailureHandoffTest} fails should a Quarkus upgrade move either filter or rename the key.
 */
@ApplicationScoped
public class AuthFailureHandoff {

    /** The routing-context key of the handler (Quarkus' {@code QuarkusHttpUser.AUTH_FAILURE_HANDLER}). */
    public static final String KEY = "io.quarkus.vertx.http.auth-failure-handler";
    /**
     * The route's order: that of Quarkus REST's filter (priority 199, just below authentication's 200;
     * a filter's route order is minus its priority). Routes observed on the {@link Router} are added
     * before the filters, and of routes of equal order the first added runs first.
     */
    static final int ROUTE_ORDER = -199;

    /** What Quarkus REST's own handler does: the failure, as its root cause, into the request's failure handling. */
    static final BiConsumer<RoutingContext, Throwable> FAIL_INTO_REST = (context, failure) -> {
        DefaultAuthFailureHandler.markIfOtherAuthenticationFailure(context, failure);
        if (!context.failed()) {
            context.fail(DefaultAuthFailureHandler.extractRootCause(failure));
        }
    };

    void install(@Observes Router router) {
        router.route().order(ROUTE_ORDER).handler(context -> {
            if (context.get(KEY) instanceof DefaultAuthFailureHandler) {
                context.put(KEY, FAIL_INTO_REST);
            }
            context.next();
        });
    }
}
