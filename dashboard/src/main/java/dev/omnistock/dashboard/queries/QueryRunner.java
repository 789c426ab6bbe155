package dev.omnistock.dashboard.queries;

import dev.omnistock.clickhouse.ClickHouseConnection;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Runs a bound query of the pack against ClickHouse; times come back as epoch milliseconds (UTC), for charts. */
public final class QueryRunner {

    private final ClickHouseConnection clickHouse;
    private final int timeoutSeconds;

    public QueryRunner(ClickHouseConnection clickHouse, int timeoutSeconds) {
        this.clickHouse = clickHouse;
        this.timeoutSeconds = timeoutSeconds;
    }

    public Result run(NamedQuery query, List<Object> values) throws SQLException {
        try (Connection connection = clickHouse.open(); PreparedStatement statement = connection.prepareStatement(query.sql())) {
            statement.setQueryTimeout(timeoutSeconds);
            for (int i = 0; i < values.size(); i++) {
                statement.setObject(i + 1, values.get(i));
            }
            try (ResultSet rs = statement.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                List<Column> columns = new ArrayList<>();
                for (int c = 1; c <= meta.getColumnCount(); c++) {
                    columns.add(new Column(meta.getColumnLabel(c), meta.getColumnTypeName(c)));
                }
                List<List<Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>(columns.size());
                    for (int c = 1; c <= columns.size(); c++) {
                        row.add(columns.get(c - 1).type().contains("DateTime") ? epochMillis(rs.getObject(c, Instant.class)) : plain(rs.getObject(c)));
                    }
                    rows.add(row);
                }
                return new Result(query.name(), columns, rows);
            }
        }
    }

    /**
     * A time as epoch ms, read as an Instant: the driver's default (a java.sql.Timestamp) shows the column's
     * wall-clock time in the JVM's time zone, so its epoch ms are off by that zone's offset unless it is UTC.
     */
    private static Long epochMillis(Instant time) {
        return time == null ? null : time.toEpochMilli();
    }

    /** JSON-ready: UInt64 as a number, UUIDs as text. */
    private static Object plain(Object value) {
        if (value instanceof BigInteger n) {
            return n.longValueExact();
        } else if (value instanceof UUID id) {
            return id.toString();
        }
        return value;
    }

    public record Column(String name, String type) {
    }

    public record Result(String query, List<Column> columns, List<List<Object>> rows) {
    }
}
