package dev.likes.imports;

import java.time.Instant;
import java.time.OffsetDateTime;

import dev.likes.api.IdRules;

/**
 * One row of a source as read, with its place there (a line of a file, a row of a table): the
 * item, user and time as text, or what made it unreadable. {@link #check} tells a like from a bad row.
 */
sealed interface SourceRow {

    /** Where the row is in its source, as a report names it: "line 12", "row 12". */
    String place();

    /** What the row is: a like to load, or a bad row with its place and the reason it is skipped. */
    Checked check(Instant now);

    /** A row whose fields were read (any of them may be null: a table's NULL). */
    record Fields(String place, String itemId, String userId, String time) implements SourceRow {

        /** The rules a like must meet: valid ids (as the API's), a parseable time, not after {@code now}. */
        @Override
        public Checked check(Instant now) {
            if (itemId == null || !IdRules.isValid(itemId)) {
                return new Bad(place, "item id " + quoted(itemId) + " is not " + IdRules.RULE);
            }
            if (userId == null || !IdRules.isValid(userId)) {
                return new Bad(place, "user id " + quoted(userId) + " is not " + IdRules.RULE);
            }
            if (time == null) {
                return new Bad(place, "no time");
            }
            var createdAt = LikeTime.parse(time);
            if (createdAt.isEmpty()) {
                return new Bad(place, "time " + quoted(time) + " is not a date and time");
            }
            if (createdAt.get().toInstant().isAfter(now)) {
                return new Bad(place, "time " + quoted(time) + " is in the future");
            }
            return new Good(itemId, userId, createdAt.get());
        }
    }

    /** A row that could not be split into fields (malformed CSV, too few fields). */
    record Unreadable(String place, String why) implements SourceRow {
        @Override
        public Checked check(Instant now) {
            return new Bad(place, why);
        }
    }

    /** A row checked. */
    sealed interface Checked {
    }

    record Good(String itemId, String userId, OffsetDateTime createdAt) implements Checked {
    }

    record Bad(String place, String reason) implements Checked {
    }

    private static String quoted(String text) {
        if (text == null) {
            return "(none)";
        }
        return "'" + (text.length() > 80 ? text.substring(0, 80) + "…" : text) + "'";
    }
}
