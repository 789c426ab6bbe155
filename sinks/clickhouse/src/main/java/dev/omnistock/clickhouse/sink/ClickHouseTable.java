package dev.omnistock.clickhouse.sink;

import java.io.Serializable;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A table rows of type T are written to: its name, the columns written and how a row fills them.
 * Names are checked to be plain identifiers, so the INSERT built from them cannot carry anything else.
 */
public record ClickHouseTable<T>(String name, List<String> columns, RowBinder<T> binder) implements Serializable {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public ClickHouseTable {
        columns = List.copyOf(columns);
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("Not a plain table name: " + name);
        }
        for (String column : columns) {
            if (!IDENTIFIER.matcher(column).matches()) {
                throw new IllegalArgumentException("Not a plain column name in " + name + ": " + column);
            }
        }
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("Table " + name + " needs at least one column");
        }
    }

    public String insertStatement() {
        return "INSERT INTO " + name + " (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", columns.stream().map(c -> "?").toList()) + ")";
    }
}
