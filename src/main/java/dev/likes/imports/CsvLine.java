package dev.likes.imports;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One line of CSV (RFC 4180): fields separated by commas, a field in double quotes may hold commas
 * and doubled quotes. A quoted field that spans lines is not supported: such a line is malformed.
 */
final class CsvLine {

    private CsvLine() {
    }

    /** The fields of {@code line}, or empty when it is not well-formed CSV. */
    static Optional<List<String>> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        int n = line.length();
        while (true) {
            if (i < n && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= n) {
                        return Optional.empty(); // the quote is never closed
                    }
                    char c = line.charAt(i++);
                    if (c != '"') {
                        field.append(c);
                    } else if (i < n && line.charAt(i) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        break;
                    }
                }
                if (i < n && line.charAt(i) != ',') {
                    return Optional.empty(); // text after a closing quote
                }
            } else {
                while (i < n && line.charAt(i) != ',') {
                    char c = line.charAt(i++);
                    if (c == '"') {
                        return Optional.empty(); // a quote inside an unquoted field
                    }
                    field.append(c);
                }
            }
            fields.add(field.toString());
            field.setLength(0);
            if (i >= n) {
                return Optional.of(fields);
            }
            i++; // the comma
        }
    }
}
