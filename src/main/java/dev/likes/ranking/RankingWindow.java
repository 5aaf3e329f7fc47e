package dev.likes.ranking;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import dev.likes.api.ParameterRules;

/**
 * The rankings: all time, the trending windows and hot. Each window's count is the like_counts column
 * likes_{label}. A windowed ranking counts the likes created at or after the window's {@code since},
 * a whole minute that the aging job keeps at {@code span} before the current minute (see
 * V2__trending_windows.sql), and still standing. Hot weighs every standing like by its age, halving
 * each half-life (V7__hot_ranking.sql); it has no span.
 */
public enum RankingWindow {
    ALL(null, 0),
    HOUR(Duration.ofHours(1), 3),
    DAY(Duration.ofDays(1), 2),
    WEEK(Duration.ofDays(7), 1),
    HOT(null, 0);

    public static final List<String> LABELS = List.of("all", "hour", "day", "week", "hot");

    /** How far back the window reaches; null for all time and hot. */
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
