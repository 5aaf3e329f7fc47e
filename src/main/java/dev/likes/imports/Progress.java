package dev.likes.imports;

import java.time.Duration;

/** The progress line of a running import: rows so far, their rate, and the time left by the share of the source read. */
final class Progress {

    private Progress() {
    }

    static String line(String name, long rows, double fraction, Duration elapsed) {
        double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
        String left = fraction > 0 && fraction < 1 ? clock(seconds * (1 - fraction) / fraction) : fraction >= 1 ? "0s" : "?";
        return String.format("import %s: %,d rows, %.1f%% of the source, %,.0f rows/s, %s left", name, rows, fraction * 100, rows / seconds, left);
    }

    /** 3h04m, 4m05s, 12s. */
    static String clock(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format("%dh%02dm", s / 3600, s % 3600 / 60);
        }
        return s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
