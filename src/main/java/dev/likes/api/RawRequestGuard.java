package dev.likes.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response.Status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a raw {@code ;} in the path before JAX-RS sees it: RESTEasy strips {@code ;matrix}
 * parameters from path segments, so {@code PUT /v1/items/a;x/likes/u} would otherwise like item "a".
 */
@ApplicationScoped
public class RawRequestGuard {

    private final ObjectMapper json;
    private final Rejections rejections;

    public RawRequestGuard(ObjectMapper json, Rejections rejections) {
        this.json = json;
        this.rejections = rejections;
    }

    void install(@Observes Router router) {
        router.route().order(RequestIds.ROUTE_ORDER + 1).handler(context -> {
            if (context.request().path().indexOf(';') >= 0) {
                rejections.count("invalid_path");
                badRequest(context, "';' is not allowed in a path; ids are " + IdRules.RULE);
            } else {
                context.next();
            }
        });
    }

    private void badRequest(RoutingContext context, String detail) {
        Problem problem = Problem.of(Status.BAD_REQUEST, detail, context.request().path());
        try {
            context.response()
                    .setStatusCode(problem.status())
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(json.writeValueAsString(problem));
        } catch (JsonProcessingException e) {
            context.fail(e);
        }
    }
}
