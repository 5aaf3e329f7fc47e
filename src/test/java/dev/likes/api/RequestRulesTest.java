package dev.likes.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The request rules without a server: ids, id lists, limits, flags, choices and time cursors. */
class RequestRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "post-42", "A.b_c~d:e-f", "..a", "a.."})
    void goodIds(String id) {
        assertTrue(IdRules.isValid(id));
        assertEquals(id, IdRules.require("itemId", id));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a b", "a/b", "a;b", "é", "a%20b"})
    void badIds(String id) {
        assertFalse(IdRules.isValid(id));
        InvalidRequestException refused = assertThrows(InvalidRequestException.class, () -> IdRules.require("itemId", id));
        assertEquals("invalid_id", refused.reason());
    }

    /** The check every click runs is the rule the API describes: the same answer as its PATTERN, on random strings. */
    @Test
    void theCheckAgreesWithThePublishedPattern() {
        java.util.regex.Pattern published = java.util.regex.Pattern.compile(IdRules.PATTERN);
        String alphabet = "aZ09._~:-/ %é\u0000\u00ff,;";
        java.util.SplittableRandom random = new java.util.SplittableRandom(26);
        for (int n = 0; n < 200_000; n++) {
            StringBuilder id = new StringBuilder();
            int length = random.nextInt(n % 10 == 0 ? 70 : 4);
            for (int i = 0; i < length; i++) {
                id.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertEquals(published.matcher(id).matches(), IdRules.isValid(id.toString()), "'" + id + "'");
        }
    }

    @Test
    void anIdIsAtMost64Characters() {
        assertTrue(IdRules.isValid("x".repeat(64)));
        assertFalse(IdRules.isValid("x".repeat(65)));
        assertFalse(IdRules.isValid(null));
    }

    @Test
    void idListsKeepOrderAndRepeatsWithinTheirSize() {
        assertEquals(List.of("b", "a", "b", "c"), IdRules.requireList("ids", List.of("b,a", "b,c"), 4));
        assertEquals("invalid_id_list", assertThrows(InvalidRequestException.class,
                () -> IdRules.requireList("ids", List.of("a,b,c"), 2)).reason());
        assertEquals("invalid_id_list", assertThrows(InvalidRequestException.class,
                () -> IdRules.requireList("ids", List.of(), 2)).reason());
        assertEquals("invalid_id", assertThrows(InvalidRequestException.class,
                () -> IdRules.requireList("ids", List.of("a,,b"), 5)).reason());
    }

    @Test
    void limitsAreWholeNumbersInRange() {
        assertEquals(20, ParameterRules.limit("limit", null, 100, 20));
        assertEquals(1, ParameterRules.limit("limit", "1", 100, 20));
        assertEquals(100, ParameterRules.limit("limit", "100", 100, 20));
        for (String bad : List.of("0", "101", "-1", "+5", "1.5", "1e2", " 5", "99999999999999999999")) {
            assertThrows(InvalidRequestException.class, () -> ParameterRules.limit("limit", bad, 100, 20), bad);
        }
    }

    @Test
    void flagsAndChoicesAreExact() {
        assertFalse(ParameterRules.flag("dryRun", null));
        assertTrue(ParameterRules.flag("dryRun", "true"));
        assertThrows(InvalidRequestException.class, () -> ParameterRules.flag("dryRun", "TRUE"));
        assertEquals("all", ParameterRules.choice("window", null, List.of("all", "hour"), "all"));
        assertEquals("hour", ParameterRules.choice("window", "hour", List.of("all", "hour"), "all"));
        assertThrows(InvalidRequestException.class, () -> ParameterRules.choice("window", "Hour", List.of("all", "hour"), "all"));
    }

    @Test
    void aTimeCursorComesBackAsItWasMadeAndOnlyThatText() {
        OffsetDateTime at = OffsetDateTime.of(2030, 1, 2, 3, 4, 5, 6_000, ZoneOffset.UTC);
        TimeCursor cursor = TimeCursor.after(at, "user-7");
        TimeCursor read = TimeCursor.decode(cursor.encode());
        assertEquals(cursor, read);
        assertEquals(at, TimeCursor.timeOf(read));
        assertEquals("user-7", TimeCursor.idOf(read));
        assertNull(TimeCursor.decode(null));
        assertEquals(TimeCursor.END_OF_TIME, TimeCursor.timeOf(null));
        assertEquals("", TimeCursor.idOf(null));
        for (String bad : List.of("", "garbage", cursor.encode() + "=", CursorText.encode(-1, "a"), CursorText.encode(1, "a b"),
                CursorText.encode("01", "a"))) {
            assertEquals("invalid_cursor", assertThrows(InvalidRequestException.class, () -> TimeCursor.decode(bad), bad).reason());
        }
    }

    @Test
    void aPageIsCutFromOneRowMoreThanAskedAndPointsAfterItsLastRow() {
        OffsetDateTime at = OffsetDateTime.of(2030, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC);
        TimeCursor.Page<String> last = TimeCursor.page(List.of("a", "b"), 2, id -> TimeCursor.after(at, id));
        assertEquals(List.of("a", "b"), last.items());
        assertNull(last.next());
        TimeCursor.Page<String> more = TimeCursor.page(List.of("a", "b", "c"), 2, id -> TimeCursor.after(at, id));
        assertEquals(List.of("a", "b"), more.items());
        assertEquals(TimeCursor.after(at, "b").encode(), more.next());
    }
}
