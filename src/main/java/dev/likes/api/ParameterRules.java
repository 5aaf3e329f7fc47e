package dev.likes.api;

import java.util.List;

/** Query parameters other than ids: limits, true/false flags and choices, answered 400 when malformed. */
public final class ParameterRules {

    private ParameterRules() {
    }

    /** The whole number {@code value} of {@code name}, 1 to {@code max}, or {@code fallback} when not given. */
    public static long limit(String name, String value, long max, long fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.matches("[0-9]{1,18}")) {
            long number = Long.parseLong(value);
            if (number >= 1 && number <= max) {
                return number;
            }
        }
        throw new InvalidRequestException("invalid_limit",
                name + " must be a whole number from 1 to " + max + "; got '" + excerpt(value) + "'");
    }

    /** The flag {@code value} of {@code name}: "true" or "false", false when not given. */
    public static boolean flag(String name, String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw new InvalidRequestException("invalid_flag", name + " must be true or false; got '" + excerpt(value) + "'");
    }

    /** The {@code value} of {@code name}, exactly one of {@code choices}, or {@code fallback} when not given. */
    public static String choice(String name, String value, List<String> choices, String fallback) {
        if (value == null) {
            return fallback;
        }
        if (choices.contains(value)) {
            return value;
        }
        throw new InvalidRequestException("invalid_" + name, name + " must be one of " + String.join(", ", choices)
                + "; got '" + excerpt(value) + "'");
    }

    private static String excerpt(String value) {
        return value.length() > 20 ? value.substring(0, 20) + "..." : value;
    }
}
