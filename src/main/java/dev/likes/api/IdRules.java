package dev.likes.api;

import java.util.ArrayList;
import java.util.List;

/** Item and user ids are opaque strings: 1 to 64 characters, URL-safe, compared byte by byte. */
public final class IdRules {

    /**
     * The rule as a regular expression, for the API's description (each request is checked by
     * {@link #isValid}, the same rule without a regex engine, on every click). "." and ".." are left
     * out: URL paths treat them as steps, so they could never be liked.
     */
    public static final String PATTERN = "^(?!\\.\\.?$)[A-Za-z0-9._~:-]{1,64}$";
    public static final int MAX_LENGTH = 64;
    public static final String RULE = "1 to 64 characters from A-Z a-z 0-9 . _ ~ : - (but not . or ..)";

    private IdRules() {
    }

    public static boolean isValid(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH || id.equals(".") || id.equals("..")) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '.' || c == '_' || c == '~' || c == ':' || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    /** Returns the id, or fails with a 400 that names the parameter and the rule. */
    public static String require(String name, String id) {
        if (!isValid(id)) {
            throw new InvalidRequestException("invalid_id", name + " must be " + RULE + "; got " + quote(id));
        }
        return id;
    }

    /**
     * Reads a comma-separated id list (the parameter may also repeat) and checks every id and the
     * count. Order and repeats are kept: answers follow the order asked.
     */
    public static List<String> requireList(String name, List<String> values, int max) {
        List<String> ids = new ArrayList<>();
        for (String value : values == null ? List.<String>of() : values) {
            for (String id : value.split(",", -1)) {
                ids.add(require("each id in " + name, id));
                if (ids.size() > max) {
                    throw new InvalidRequestException("invalid_id_list", name + " takes at most " + max + " ids");
                }
            }
        }
        if (ids.isEmpty()) {
            throw new InvalidRequestException("invalid_id_list", name + " needs 1 to " + max + " comma-separated ids");
        }
        return ids;
    }

    private static String quote(String value) {
        if (value == null) {
            return "nothing";
        }
        String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        return "'" + shown + "' (" + value.length() + " characters)";
    }
}
