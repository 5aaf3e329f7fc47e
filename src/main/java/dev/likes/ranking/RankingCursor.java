package dev.likes.ranking;

import dev.likes.api.CursorText;
import dev.likes.api.IdRules;
import dev.likes.api.InvalidRequestException;

/**
 * Where a ranking page ended: its window, and the last item's key (its count, or its hot key), rank
 * and id. The next page starts right after it in (key desc, itemId asc) order, so a walk visits every
 * item once even with ties. Clients see it as an opaque base64url string, valid for the window it
 * came from only.
 */
public record RankingCursor(RankingWindow window, RankKey key, long rank, String itemId) {

    /** Far beyond any real ranking, and far from overflowing when a page adds its ranks. */
    private static final long MAX_RANK = 1_000_000_000_000L;
    private static final String INVALID = "after must be a 'next' value from an earlier rankings answer for the same window";

    /** Before the first item: a key greater than any item's. */
    static RankingCursor start(RankingWindow window) {
        return new RankingCursor(window, RankKey.first(window), 0, "");
    }

    /** All-time cursors keep the text they had before windows existed. */
    public String encode() {
        return window == RankingWindow.ALL
                ? CursorText.encode(key.text(), rank, itemId)
                : CursorText.encode(window.label(), key.text(), rank, itemId);
    }

    /** Reads a cursor that {@link #encode()} made for {@code window}; anything else is the client's mistake. */
    public static RankingCursor decode(String text, RankingWindow window) {
        boolean all = window == RankingWindow.ALL;
        String[] fields = CursorText.decode(text, all ? 3 : 4, INVALID);
        int first = all ? 0 : 1;
        try {
            RankingCursor cursor = new RankingCursor(window, RankKey.parse(window, fields[first]),
                    Long.parseLong(fields[first + 1]), fields[first + 2]);
            // Only the exact text encode() makes is accepted: no padding, signs, zeros or other spellings.
            if (cursor.key.possible() && cursor.rank >= 1 && cursor.rank <= MAX_RANK && IdRules.isValid(cursor.itemId)
                    && cursor.encode().equals(text)) {
                return cursor;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidRequestException("invalid_cursor", INVALID);
    }
}
