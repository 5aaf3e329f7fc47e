package dev.likes.imports;

import java.util.List;

/**
 * What a run of an import did: the source rows it read (besides those of batches earlier runs did), the
 * likes it loaded, those already there or given twice (duplicates), those it did not load because
 * their item is removed or their user suspended (barred), the bad rows (with the first
 * {@value Importer#BAD_ROWS_SHOWN} of them), and the drift check over every item the import changed.
 */
public record ImportReport(String name, long doneBefore, long read, long loaded, long duplicates, long barred, long bad,
        List<SourceRow.Bad> badRows, long checked, long drifted, double seconds) {

    /** The closing lines the command prints. */
    public String text() {
        StringBuilder text = new StringBuilder();
        text.append(String.format("import %s: read %,d rows (%,d more were done by earlier runs) in %.1f s (%,.0f rows/s): "
                + "loaded %,d, duplicates %,d, barred %,d, bad %,d%n",
                name, read, doneBefore, seconds, seconds > 0 ? read / seconds : 0.0, loaded, duplicates, barred, bad));
        for (SourceRow.Bad row : badRows) {
            text.append(String.format("  bad %s: %s%n", row.place(), row.reason()));
        }
        if (bad > badRows.size()) {
            text.append(String.format("  ... and %,d more bad rows%n", bad - badRows.size()));
        }
        text.append(String.format("drift check: %,d items the import changed, %,d drifted%n", checked, drifted));
        return text.toString();
    }
}
