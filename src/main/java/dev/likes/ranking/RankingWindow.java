package dev.likes.ranking;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import dev.likes.api.ParameterRules;

/**
 * The spans a ranking can cover; each window's count is the like_counts column likes_{label}. A
 * windowed ranking counts the likes created at or after the
 * window's {@code since}, a whole minute that the aging job keeps at {@code span} before the
 * current minute (see V2__trending_windows.sql), and still standing.
 */
public enum RankingWindow {
    ALL(null, 0),
    HOUR(Duration.ofHours(1), 3),
    DAY(Duration.ofDays(1), 2),
    WEEK(Duration.ofDays(7), 1);

    public static final List<String> LABELS = List.of("all", "hour", "day", "week");

    /** How far back the window reaches; null for all time. */
    final Duration span;
    /** The counted_in value of the buckets of the minutes only this window and the longer ones still count. */
    final int level;
    RankingWindow(Duration span, int level) {
        this.span = span;
        this.level = level;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The window a {@code window} query parameter names; all time when it is absent. */
    public static RankingWindow parse(String text) {
        return valueOf(ParameterRules.choice("window", text, LABELS, "all").toUpperCase(Locale.ROOT));
    }
}
