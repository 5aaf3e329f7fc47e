package dev.likes.api;

/** Limits in query parameters: whole numbers in a range, answered 400 otherwise. */
public final class LimitRules {

    private LimitRules() {
    }

    /** The value of {@code name}, or {@code fallback} when it was not given. */
    public static long require(String name, String value, long max, long fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.matches("[0-9]{1,18}")) {
            long number = Long.parseLong(value);
            if (number >= 1 && number <= max) {
                return number;
            }
        }
        throw new InvalidRequestException("invalid_limit", name + " must be a whole number from 1 to " + max + "; got '"
                + (value.length() > 20 ? value.substring(0, 20) + "..." : value) + "'");
    }
}
