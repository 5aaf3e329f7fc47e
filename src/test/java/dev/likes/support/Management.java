package dev.likes.support;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * Requests to the service's management interface (health, metrics): a port of its own, 9001 in tests
 * ({@code quarkus.management.test-port}), 9000 in production.
 */
public final class Management {

    private Management() {
    }

    public static int port() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.management.test-port", Integer.class).orElse(9001);
    }

    /** A request to the management interface, like RestAssured's {@code given()} to the API. */
    public static RequestSpecification given() {
        return RestAssured.given().port(port());
    }
}
