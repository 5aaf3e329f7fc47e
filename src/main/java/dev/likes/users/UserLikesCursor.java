package dev.likes.users;

import dev.likes.api.CursorText;
import dev.likes.api.IdRules;
import dev.likes.api.InvalidRequestException;

/**
 * Where a page of a user's likes ended: the last like's time (microseconds since the epoch, the
 * database's precision) and item. The next page starts right after it in (newest first, itemId
 * asc) order. Clients see it as an opaque base64url string.
 */
public record UserLikesCursor(long likedAtMicros, String itemId) {

    private static final String INVALID = "after must be a 'next' value from an earlier answer for this list";

    public String encode() {
        return CursorText.encode(likedAtMicros, itemId);
    }

    /** Reads a cursor that {@link #encode()} made; anything else is the client's mistake. */
    public static UserLikesCursor decode(String text) {
        String[] fields = CursorText.decode(text, 2, INVALID);
        try {
            UserLikesCursor cursor = new UserLikesCursor(Long.parseLong(fields[0]), fields[1]);
            // Only the exact text encode() makes is accepted: no padding, signs, zeros or other spellings.
            if (cursor.likedAtMicros >= 0 && IdRules.isValid(cursor.itemId) && cursor.encode().equals(text)) {
                return cursor;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidRequestException("invalid_cursor", INVALID);
    }
}
