package dev.likes.support;

import static io.restassured.RestAssured.when;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one sample from the Prometheus text at /q/metrics. */
public final class Metrics {

    private Metrics() {
    }

    /** The value of the sample {@code name{labels}}, or 0 when it is not there yet. */
    public static double value(String name, String labels) {
        String text = when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher sample = Pattern.compile("(?m)^" + Pattern.quote(name + "{" + labels) + "[,}][^ ]* ([0-9.eE+-]+)$")
                .matcher(text);
        return sample.find() ? Double.parseDouble(sample.group(1)) : 0;
    }
}
