package dev.likes.imports;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A CSV file in UTF-8 whose first line names its columns; {@link Columns} say which hold the item,
 * the user and the time (others are ignored). Positions count the lines after the header, blank
 * ones included; a line that is not CSV, or lacks a column, is a bad row named by its line number.
 */
final class CsvSource implements LikeSource {

    private final BufferedReader reader;
    private final long size;
    private final int item;
    private final int user;
    private final int time;
    private final int width;
    private long line;
    private long bytes;

    /** Opens {@code file} and skips the header and the first {@code position} lines after it. */
    CsvSource(Path file, Columns columns, long position) {
        try {
            this.size = Math.max(1, Files.size(file));
            this.reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
            String header = reader.readLine();
            if (header == null) {
                throw new IllegalArgumentException(file + " is empty: its first line must name the columns");
            }
            bytes = header.length() + 1L;
            List<String> names = CsvLine.split(header.startsWith("\uFEFF") ? header.substring(1) : header)
                    .orElseThrow(() -> new IllegalArgumentException(file + ": the header line is not CSV"))
                    .stream().map(String::strip).toList();
            item = column(file, names, columns.item());
            user = column(file, names, columns.user());
            time = column(file, names, columns.time());
            width = Math.max(item, Math.max(user, time)) + 1;
            line = 1;
            for (long skipped = 0; skipped < position; skipped++) {
                if (readLine() == null) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static int column(Path file, List<String> names, String name) {
        int at = names.indexOf(name);
        if (at < 0) {
            throw new IllegalArgumentException(file + " has no column '" + name + "' (its header names " + names + ")");
        }
        return at;
    }

    private String readLine() throws IOException {
        String text = reader.readLine();
        if (text != null) {
            line++;
            bytes += text.length() + 1L;
        }
        return text;
    }

    @Override
    public List<SourceRow> next(int max) {
        List<SourceRow> rows = new ArrayList<>(max);
        try {
            while (rows.size() < max) {
                String text = readLine();
                if (text == null) {
                    break;
                }
                String place = "line " + line;
                if (text.isBlank()) {
                    rows.add(new SourceRow.Unreadable(place, "a blank line"));
                    continue;
                }
                var fields = CsvLine.split(text);
                if (fields.isEmpty()) {
                    rows.add(new SourceRow.Unreadable(place, "not CSV"));
                } else if (fields.get().size() < width) {
                    rows.add(new SourceRow.Unreadable(place, fields.get().size() + " fields, fewer than the header's columns"));
                } else {
                    List<String> f = fields.get();
                    rows.add(new SourceRow.Fields(place, f.get(item).strip(), f.get(user).strip(), f.get(time).strip()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read line " + (line + 1), e);
        }
        return rows;
    }

    @Override
    public double readFraction() {
        return Math.min(1.0, (double) bytes / size);
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            // nothing left to read from it
        }
    }
}
