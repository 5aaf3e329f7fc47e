package dev.likes.imports;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which columns of the source hold the item, the user and the like's time: a CSV file's header
 * names, or a table's column names (plain SQL identifiers, quoted when the query is written).
 */
record Columns(String item, String user, String time) {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");

    Columns {
        for (String name : List.of(item, user, time)) {
            if (!IDENTIFIER.matcher(name).matches()) {
                throw new IllegalArgumentException("a column name must be a plain SQL identifier (letters, digits, _): '" + name + "'");
            }
        }
    }

    /** A table name, optionally schema-qualified, quoted for SQL; refused unless plain identifiers. */
    static String quotedTable(String table) {
        String[] parts = table.split("\\.", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("a table is [schema.]name: '" + table + "'");
        }
        StringBuilder quoted = new StringBuilder();
        for (String part : parts) {
            if (!IDENTIFIER.matcher(part).matches()) {
                throw new IllegalArgumentException("a table name must be plain SQL identifiers (letters, digits, _): '" + table + "'");
            }
            quoted.append(quoted.isEmpty() ? "" : ".").append('"').append(part).append('"');
        }
        return quoted.toString();
    }

    static String quoted(String column) {
        return '"' + column + '"';
    }
}
