package dev.likes.ranking;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.likes.api.IdRules;
import dev.likes.api.InvalidRequestException;

/**
 * Where a ranking page ended: the last item's count, rank and id. The next page starts right
 * after it in (likes desc, itemId asc) order, so a walk visits every item once even with ties.
 * Clients see it as an opaque base64url string.
 */
public record RankingCursor(long likes, long rank, String itemId) {

    /** Before the first item: more likes than any item can have. */
    static final RankingCursor START = new RankingCursor(Long.MAX_VALUE, 0, "");

    private static final int MAX_LENGTH = 200;
    /** Far beyond any real ranking, and far from overflowing when a page adds its ranks. */
    private static final long MAX_RANK = 1_000_000_000_000L;
    private static final String INVALID = "after must be a 'next' value from an earlier rankings answer";

    public String encode() {
        String plain = likes + ":" + rank + ":" + itemId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a cursor that {@link #encode()} made; anything else is the client's mistake. */
    public static RankingCursor decode(String text) {
        if (text.isEmpty() || text.length() > MAX_LENGTH) {
            throw new InvalidRequestException("invalid_cursor", INVALID);
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split(":", 3);
            RankingCursor cursor = new RankingCursor(Long.parseLong(parts[0]), Long.parseLong(parts[1]), parts[2]);
            // Only the exact text encode() makes is accepted: no padding, signs, zeros or other spellings.
            if (cursor.likes < 1 || cursor.rank < 1 || cursor.rank > MAX_RANK || !IdRules.isValid(cursor.itemId) || !cursor.encode().equals(text)) {
                throw new InvalidRequestException("invalid_cursor", INVALID);
            }
            return cursor;
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            throw new InvalidRequestException("invalid_cursor", INVALID);
        }
    }
}
