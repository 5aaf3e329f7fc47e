package dev.likes.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque text of a paging cursor: colon-separated fields in unpadded base64url. Each cursor type
 * reads its own fields and accepts only the exact text it would have made itself.
 */
public final class CursorText {

    private static final int MAX_LENGTH = 200;

    private CursorText() {
    }

    public static String encode(Object... fields) {
        StringBuilder plain = new StringBuilder();
        for (Object field : fields) {
            plain.append(plain.isEmpty() ? "" : ":").append(field);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The {@code count} fields of {@code text} (the last one may hold colons); 400 with {@code invalid} otherwise. */
    public static String[] decode(String text, int count, String invalid) {
        if (text.isEmpty() || text.length() > MAX_LENGTH) {
            throw new InvalidRequestException("invalid_cursor", invalid);
        }
        try {
            String[] fields = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split(":", count);
            if (fields.length == count) {
                return fields;
            }
        } catch (IllegalArgumentException e) {
            // not base64url: answered below
        }
        throw new InvalidRequestException("invalid_cursor", invalid);
    }
}
