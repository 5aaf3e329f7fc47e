package dev.likes.ranking;

import dev.likes.api.CursorText;
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

    /** Far beyond any real ranking, and far from overflowing when a page adds its ranks. */
    private static final long MAX_RANK = 1_000_000_000_000L;
    private static final String INVALID = "after must be a 'next' value from an earlier rankings answer";

    public String encode() {
        return CursorText.encode(likes, rank, itemId);
    }

    /** Reads a cursor that {@link #encode()} made; anything else is the client's mistake. */
    public static RankingCursor decode(String text) {
        String[] fields = CursorText.decode(text, 3, INVALID);
        try {
            RankingCursor cursor = new RankingCursor(Long.parseLong(fields[0]), Long.parseLong(fields[1]), fields[2]);
            // Only the exact text encode() makes is accepted: no padding, signs, zeros or other spellings.
            if (cursor.likes >= 1 && cursor.rank >= 1 && cursor.rank <= MAX_RANK && IdRules.isValid(cursor.itemId)
                    && cursor.encode().equals(text)) {
                return cursor;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidRequestException("invalid_cursor", INVALID);
    }
}
