package dev.likes.api;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Function;

/**
 * Where a page of likes in (newest first, id asc) order ended: the last like's time (microseconds
 * since the epoch, the database's precision) and its id (the item of a user's like, the user of an
 * item's). The next page starts right after it. Clients see it as an opaque base64url string.
 */
public record TimeCursor(long micros, String id) {

    /** Later than any like: where a walk starts. */
    public static final OffsetDateTime END_OF_TIME = OffsetDateTime.of(9999, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    private static final String INVALID = "after must be a 'next' value from an earlier answer for this list";

    /** The cursor right after a like made at {@code time} with {@code id}. */
    public static TimeCursor after(OffsetDateTime time, String id) {
        return new TimeCursor(ChronoUnit.MICROS.between(Instant.EPOCH, time.toInstant()), id);
    }

    /** The cursor's time; {@link #END_OF_TIME} for none (the first page). */
    public static OffsetDateTime timeOf(TimeCursor cursor) {
        return cursor == null ? END_OF_TIME : Instant.EPOCH.plus(cursor.micros, ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }

    /** The cursor's id; "" (before every id) for none. */
    public static String idOf(TimeCursor cursor) {
        return cursor == null ? "" : cursor.id;
    }

    public String encode() {
        return CursorText.encode(micros, id);
    }

    /** Reads a cursor that {@link #encode()} made, or null for none; anything else is the client's mistake. */
    public static TimeCursor decode(String text) {
        if (text == null) {
            return null;
        }
        String[] fields = CursorText.decode(text, 2, INVALID);
        try {
            TimeCursor cursor = new TimeCursor(Long.parseLong(fields[0]), fields[1]);
            // Only the exact text encode() makes is accepted: no padding, signs, zeros or other spellings.
            if (cursor.micros >= 0 && IdRules.isValid(cursor.id) && cursor.encode().equals(text)) {
                return cursor;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidRequestException("invalid_cursor", INVALID);
    }

    /**
     * A page of at most {@code size} of {@code fetched} (read with one row more than asked, which tells
     * whether a next page exists), and the cursor after its last row, or null on the last page.
     */
    public static <T> Page<T> page(List<T> fetched, int size, Function<T, TimeCursor> cursorOf) {
        if (fetched.size() <= size) {
            return new Page<>(fetched, null);
        }
        List<T> page = List.copyOf(fetched.subList(0, size));
        return new Page<>(page, cursorOf.apply(page.get(size - 1)).encode());
    }

    /** A page's rows and the text of the cursor after them (null on the last page). */
    public record Page<T>(List<T> items, String next) {
    }
}
