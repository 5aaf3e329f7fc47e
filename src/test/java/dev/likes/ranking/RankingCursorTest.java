package dev.likes.ranking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import dev.likes.api.InvalidRequestException;

class RankingCursorTest {

    @Test
    void aCursorReadsBackAsItWasWritten() {
        for (RankingWindow window : RankingWindow.values()) {
            RankingCursor cursor = new RankingCursor(window, key(window, 1250), 10, "post:42.a~b-c_d");
            assertEquals(cursor, RankingCursor.decode(cursor.encode(), window));
        }
    }

    @Test
    void anAllTimeCursorKeepsItsTextFromBeforeWindows() {
        assertEquals("MTI1MDoxMDpwb3N0LTQy", new RankingCursor(RankingWindow.ALL, new RankKey.Count(1250), 10, "post-42").encode());
    }

    @Test
    void aCursorServesOnlyTheWindowItCameFrom() {
        for (RankingWindow from : RankingWindow.values()) {
            String text = new RankingCursor(from, key(from, 3), 1, "post-42").encode();
            for (RankingWindow to : RankingWindow.values()) {
                if (to != from) {
                    assertThrows(InvalidRequestException.class, () -> RankingCursor.decode(text, to), from + " -> " + to);
                }
            }
        }
    }

    @Test
    void aCursorIsUrlSafe() {
        String encoded = new RankingCursor(RankingWindow.WEEK, new RankKey.Count(Long.MAX_VALUE - 1), 99, "~~~~~~").encode();
        assertEquals(encoded, encoded.replaceAll("[^A-Za-z0-9_-]", ""));
    }

    @Test
    void onlyCursorsThatTheServiceWroteAreAccepted() {
        for (String plain : new String[] {"0:1:a", "1:0:a", "-1:1:a", "1:1:", "1:1:a b", "x:1:a", "1:1", "01:1:a", "+1:1:a", "1:" + Long.MAX_VALUE + ":a"}) {
            String text = Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
            assertThrows(InvalidRequestException.class, () -> RankingCursor.decode(text, RankingWindow.ALL), plain);
            String windowed = Base64.getUrlEncoder().withoutPadding().encodeToString(("hour:" + plain).getBytes(StandardCharsets.UTF_8));
            assertThrows(InvalidRequestException.class, () -> RankingCursor.decode(windowed, RankingWindow.HOUR), windowed);
        }
        for (String text : new String[] {"", "!!!", "MToxOmE=", "x".repeat(201)}) {
            assertThrows(InvalidRequestException.class, () -> RankingCursor.decode(text, RankingWindow.ALL), text);
        }
        for (String plain : new String[] {"hot:NaN:1:a", "hot:Infinity:1:a", "hot:-Infinity:1:a", "hot:1e3:1:a", "hot:1000:1:a",
                "hot:1000.50:1:a", "hot:0x1p3:1:a", "hot:1.5d:1:a", "hot:1.5:0:a", "hot:1.5:1:"}) {
            String text = Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
            assertThrows(InvalidRequestException.class, () -> RankingCursor.decode(text, RankingWindow.HOT), plain);
        }
    }

    @Test
    void aHotCursorKeepsItsKeyToTheLastBit() {
        for (double heat : new double[] {88_123.456_789_012_3, -3.0e-7, Math.nextUp(88_000.0), 1.0e300}) {
            RankingCursor cursor = new RankingCursor(RankingWindow.HOT, new RankKey.Heat(heat), 7, "post-42");
            RankingCursor read = RankingCursor.decode(cursor.encode(), RankingWindow.HOT);
            assertEquals(Double.doubleToLongBits(heat), Double.doubleToLongBits(((RankKey.Heat) read.key()).log2Score()));
        }
    }

    private static RankKey key(RankingWindow window, long value) {
        return window == RankingWindow.HOT ? new RankKey.Heat(value + 0.25) : new RankKey.Count(value);
    }
}
