package dev.likes.api;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.MDC;

import io.vertx.ext.web.Router;

/**
 * Gives every request an id, returned in {@value #HEADER} and put on each log line of that request
 * (MDC key {@value #MDC_KEY}). A caller's own id is kept when it is short and plain, so one id can
 * follow a click from the browser through a proxy to these logs.
 */
@ApplicationScoped
public class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    /** The first route of all, so that every answer, even a refusal, carries the id. */
    static final int ROUTE_ORDER = Integer.MIN_VALUE;

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    /** 128 random bits in UUID form; ThreadLocalRandom, not UUID.randomUUID()'s shared SecureRandom, on every request. */
    private static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    void install(@Observes Router router) {
        router.route().order(ROUTE_ORDER).handler(context -> {
            String given = context.request().getHeader(HEADER);
            String id = given != null && PLAIN.matcher(given).matches() ? given : newId();
            context.response().putHeader(HEADER, id);
            MDC.put(MDC_KEY, id);
            context.next();
        });
    }
}
