package dev.likes.support;


import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one sample from the Prometheus text at /q/metrics. */
public final class Metrics {

    private Metrics() {
    }

    /**
     * The value of the sample {@code name{labels}} ({@code name} alone for no labels), NaN when it says
     * so, or 0 when it is not there yet.
     */
    public static double value(String name, String labels) {
        String text = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        String series = labels.isEmpty()
                ? Pattern.quote(name) + "(?:\\{\\})?"
                : Pattern.quote(name + "{" + labels) + "[,}][^ ]*";
        Matcher sample = Pattern.compile("(?m)^" + series + " ([0-9.eE+-]+|NaN)(?: # .*)?$").matcher(text);
        return sample.find() ? Double.parseDouble(sample.group(1)) : 0;
    }
}
