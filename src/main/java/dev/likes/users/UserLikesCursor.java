package dev.likes.users;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.likes.api.IdRules;
import dev.likes.api.InvalidRequestException;

/**
 * Where a page of a user's likes ended: the last like's time (microseconds since the epoch, the
 * database's precision) and item. The next page starts right after it in (newest first, itemId
 * asc) order. Clients see it as an opaque base64url string.
 */
public record UserLikesCursor(long likedAtMicros, String itemId) {

    private static final int MAX_LENGTH = 200;
    private static final String INVALID = "after must be a 'next' value from an earlier answer for this list";

    public String encode() {
        String plain = likedAtMicros + ":" + itemId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a cursor that {@link #encode()} made; anything else is the client's mistake. */
    public static UserLikesCursor decode(String text) {
        if (text.isEmpty() || text.length() > MAX_LENGTH) {
            throw new InvalidRequestException("invalid_cursor", INVALID);
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split(":", 2);
            UserLikesCursor cursor = new UserLikesCursor(Long.parseLong(parts[0]), parts[1]);
            // Only the exact text encode() makes is accepted: no padding, signs, zeros or other spellings.
            if (cursor.likedAtMicros < 0 || !IdRules.isValid(cursor.itemId) || !cursor.encode().equals(text)) {
                throw new InvalidRequestException("invalid_cursor", INVALID);
            }
            return cursor;
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            throw new InvalidRequestException("invalid_cursor", INVALID);
        }
    }
}
