package dev.omnistock.dashboard.queries;

import dev.omnistock.clickhouse.ClickHouseConnection;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
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
                        row.add(plain(rs.getObject(c)));
                    }
                    rows.add(row);
                }
                return new Result(query.name(), columns, rows);
            }
        }
    }

    /** JSON-ready: times as epoch ms, UInt64 as a number, UUIDs as text. ClickHouse's DateTime('UTC') comes back zoneless. */
    private static Object plain(Object value) {
        if (value instanceof Timestamp t) {
            return t.getTime();
        } else if (value instanceof LocalDateTime t) {
            return t.toInstant(ZoneOffset.UTC).toEpochMilli();
        } else if (value instanceof ZonedDateTime t) {
            return t.toInstant().toEpochMilli();
        } else if (value instanceof OffsetDateTime t) {
            return t.toInstant().toEpochMilli();
        } else if (value instanceof BigInteger n) {
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
