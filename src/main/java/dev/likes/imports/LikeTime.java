package dev.likes.imports;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time of an imported like, as exports write it: ISO 8601 ({@code 2024-05-01T10:00:00Z},
 * {@code +02:00}) or PostgreSQL's text ({@code 2024-05-01 10:00:00.123456+00}), fractions up to
 * nanoseconds (the database keeps microseconds). A time without an offset is UTC (Django's
 * {@code USE_TZ = False} stores such times).
 */
final class LikeTime {

    private static final Pattern TEXT = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2})[T ](\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?)(Z|[+-]\\d{2}(?::?\\d{2})?)?");

    private LikeTime() {
    }

    static Optional<OffsetDateTime> parse(String text) {
        Matcher m = TEXT.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            LocalDateTime local = LocalDateTime.parse(m.group(1) + "T" + m.group(2));
            String offset = m.group(3);
            if (offset == null || offset.equals("Z")) {
                return Optional.of(local.atOffset(ZoneOffset.UTC));
            }
            String digits = offset.replace(":", "");
            int hours = Integer.parseInt(digits.substring(1, 3));
            int minutes = digits.length() > 3 ? Integer.parseInt(digits.substring(3)) : 0;
            int sign = digits.charAt(0) == '-' ? -1 : 1;
            return Optional.of(local.atOffset(ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes)));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }
}
