package dev.likes.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The import's pure rules: CSV lines, times as exports write them, which rows are bad, the progress line. */
class ImportRulesTest {

    static final Instant NOW = Instant.parse("2030-03-01T00:00:00Z");

    @Test
    void csvFieldsMayBeQuotedWithCommasAndDoubledQuotes() {
        assertEquals(Optional.of(List.of("a", "b", "c")), CsvLine.split("a,b,c"));
        assertEquals(Optional.of(List.of("a,1", "say \"hi\"", "")), CsvLine.split("\"a,1\",\"say \"\"hi\"\"\","));
        assertEquals(Optional.of(List.of("", "")), CsvLine.split(","));
        for (String bad : List.of("\"open", "\"a\"b,c", "a\"b,c")) {
            assertEquals(Optional.empty(), CsvLine.split(bad), bad);
        }
    }

    @Test
    void timesAreReadAsIsoOrPostgresWriteThem() {
        OffsetDateTime at = OffsetDateTime.parse("2024-05-01T10:00:00Z");
        for (String text : List.of("2024-05-01T10:00:00Z", "2024-05-01 10:00:00+00", "2024-05-01 12:00:00+02:00",
                "2024-05-01 12:00:00+0200", "2024-05-01T10:00", "2024-05-01 10:00:00", "2024-05-01 05:30:00-04:30")) {
            assertEquals(at.toInstant(), LikeTime.parse(text).orElseThrow(() -> new AssertionError(text)).toInstant(), text);
        }
        assertEquals(Instant.parse("2024-05-01T10:00:00.123456Z"), LikeTime.parse("2024-05-01 10:00:00.123456+00").get().toInstant());
        for (String bad : List.of("", "yesterday", "2024-05-01", "2024-13-01 10:00:00", "2024-05-01 25:00:00", "1714557600",
                "2024-05-01 10:00:00+2", "2024-05-01 10:00:00 UTC")) {
            assertEquals(Optional.empty(), LikeTime.parse(bad), bad);
        }
    }

    @Test
    void aRowIsALikeOnlyWithValidIdsAndAPastTime() {
        assertInstanceOf(SourceRow.Good.class, fields("post-1", "42", "2024-05-01 10:00:00+00"));
        assertEquals("item id 'a b' is not " + dev.likes.api.IdRules.RULE, reason(fields("a b", "42", "2024-05-01 10:00:00+00")));
        assertTrue(reason(fields("post-1", "x".repeat(65), "2024-05-01 10:00:00+00")).startsWith("user id 'xxx"));
        assertEquals("item id (none) is not " + dev.likes.api.IdRules.RULE, reason(fields(null, "42", "2024-05-01 10:00:00+00")));
        assertEquals("no time", reason(fields("post-1", "42", null)));
        assertEquals("time 'soon' is not a date and time", reason(fields("post-1", "42", "soon")));
        assertEquals("time '2030-03-01 00:00:01+00' is in the future", reason(fields("post-1", "42", "2030-03-01 00:00:01+00")));
        assertEquals("not CSV", reason(new SourceRow.Unreadable("line 9", "not CSV").check(NOW)));
        assertEquals("line 3", ((SourceRow.Bad) fields("..", "42", "2024-05-01 10:00:00+00")).place());
    }

    @Test
    void columnNamesAreSqlIdentifiersOnly() {
        assertEquals("\"shop\".\"blog_like\"", Columns.quotedTable("shop.blog_like"));
        for (String bad : List.of("likes; DROP TABLE likes", "a.b.c", "\"x\"", "", "1abc")) {
            assertThrows(IllegalArgumentException.class, () -> Columns.quotedTable(bad), bad);
            assertThrows(IllegalArgumentException.class, () -> new Columns(bad, "user_id", "created_at"), bad);
        }
    }

    @Test
    void theProgressLineSaysRowsRateAndTimeLeft() {
        assertEquals("import shop: 1,200,000 rows, 25.0% of the source, 20,000 rows/s, 3m00s left",
                Progress.line("shop", 1_200_000, 0.25, Duration.ofSeconds(60)));
        assertEquals("2h05m", Progress.clock(7500));
        assertEquals("12s", Progress.clock(12.4));
    }

    private static SourceRow.Checked fields(String item, String user, String time) {
        return new SourceRow.Fields("line 3", item, user, time).check(NOW);
    }

    private static String reason(SourceRow.Checked checked) {
        return ((SourceRow.Bad) checked).reason();
    }
}
