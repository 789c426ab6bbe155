package dev.omnistock.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.data.ClickHouseFormat;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Rows into a real ClickHouse MergeTree table and back, through the JDBC driver and its RowBinary client. */
@ExtendWith(RealStackExtension.class)
class ClickHouseRoundTripIT {

    private static final String DEMAND_TABLE = """
            CREATE TABLE demand_probe (
                minute      DateTime64(3, 'UTC'),
                sku         LowCardinality(String),
                channel     LowCardinality(String),
                units       UInt32,
                revenue     Decimal(18, 4),
                note        String
            ) ENGINE = MergeTree
            PARTITION BY toYYYYMM(minute)
            ORDER BY (sku, channel, minute)
            TTL toDateTime(minute) + INTERVAL 400 DAY""";

    @Test
    void aJdbcBatchIsWrittenAndReadBackExactly(TestNamespace ns) throws Exception {
        ClickHouseConnection clickHouse = ClickHouseConnection.at(ns.clickHouseJdbcUrl());
        int rows = 1_000;
        try (Connection connection = clickHouse.open()) {
            try (Statement ddl = connection.createStatement()) {
                ddl.execute(DEMAND_TABLE);
            }
            Instant start = Instant.parse("2026-11-23T09:00:00Z");
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO demand_probe (minute, sku, channel, units, revenue, note) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < rows; i++) {
                    insert.setTimestamp(1, Timestamp.from(start.plusSeconds(60L * (i % 60))));
                    insert.setString(2, "SKU-" + (i % 10));
                    insert.setString(3, i % 2 == 0 ? "WEB" : "STORE_POS");
                    insert.setInt(4, i % 7 + 1);
                    insert.setBigDecimal(5, new BigDecimal("19.9900").multiply(BigDecimal.valueOf(i % 7 + 1)));
                    // Text with blank lines must survive: chDB's own query API cuts inline data at one.
                    insert.setString(6, "line one\n\nline three " + i);
                    insert.addBatch();
                }
                insert.executeBatch();
            }

            try (Statement query = connection.createStatement();
                 ResultSet rs = query.executeQuery("""
                         SELECT count(), sum(units), sum(revenue), countIf(note LIKE 'line one\\n\\nline three %'),
                                uniqExact(sku), min(minute)
                         FROM demand_probe""")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(rows);
                assertThat(rs.getLong(2)).isEqualTo(unitsOf(rows));
                assertThat(rs.getBigDecimal(3)).isEqualByComparingTo(new BigDecimal("19.9900").multiply(BigDecimal.valueOf(unitsOf(rows))));
                assertThat(rs.getLong(4)).isEqualTo(rows);
                assertThat(rs.getLong(5)).isEqualTo(10);
                assertThat(rs.getTimestamp(6).toInstant()).isEqualTo(start);
            }

            // A window function, as the dashboards' running totals use.
            try (Statement query = connection.createStatement();
                 ResultSet rs = query.executeQuery("""
                         SELECT sku, sum(sum(units)) OVER (ORDER BY sku) AS running
                         FROM demand_probe GROUP BY sku ORDER BY sku""")) {
                long last = 0;
                while (rs.next()) {
                    assertThat(rs.getLong(2)).isGreaterThan(last);
                    last = rs.getLong(2);
                }
                assertThat(last).isEqualTo(unitsOf(rows));
            }
        }
    }

    @Test
    void rowBinaryWhoseBytesContainBlankLinesLosesNoRow(RealStack stack, TestNamespace ns) throws Exception {
        String database = ns.clickHouseDatabase();
        try (Connection connection = ClickHouseConnection.at(ns.clickHouseJdbcUrl()).open();
             Statement ddl = connection.createStatement()) {
            ddl.execute("CREATE TABLE raw_probe (id UInt32, payload String) ENGINE = MergeTree ORDER BY id");
        }
        // id 10 is 0x0A = '\n'; the payloads hold "\n\n" too: the byte stream has blank lines throughout.
        List<String> payloads = new ArrayList<>();
        ByteArrayOutputStream rowBinary = new ByteArrayOutputStream();
        int rows = 500;
        for (int id = 0; id < rows; id++) {
            String payload = "row " + id + "\n\n" + "\n".repeat(id % 4) + "end";
            payloads.add(payload);
            rowBinary.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(id).array());
            byte[] text = payload.getBytes(StandardCharsets.UTF_8);
            rowBinary.write(text.length); // LEB128 length; every payload here is shorter than 128 bytes
            rowBinary.write(text);
        }
        assertThat(new String(rowBinary.toByteArray(), StandardCharsets.ISO_8859_1)).contains("\n\n");

        try (Client client = new Client.Builder()
                .addEndpoint(stack.clickHouseHttpUrl().toString())
                .setUsername("default").setPassword("")
                .setDefaultDatabase(database)
                .build()) {
            try (InsertResponse response = client.insert("raw_probe", new ByteArrayInputStream(rowBinary.toByteArray()),
                    ClickHouseFormat.RowBinary).get(30, TimeUnit.SECONDS)) {
                assertThat(response.getWrittenRows()).isEqualTo(rows);
            }
        }

        try (Connection connection = ClickHouseConnection.at(ns.clickHouseJdbcUrl()).open();
             Statement query = connection.createStatement();
             ResultSet rs = query.executeQuery("SELECT id, payload FROM raw_probe ORDER BY id")) {
            List<String> read = new ArrayList<>();
            while (rs.next()) {
                assertThat(rs.getInt(1)).isEqualTo(read.size());
                read.add(rs.getString(2));
            }
            assertThat(read).containsExactlyElementsOf(payloads);
        }
    }

    /** Units of the first {@code rows} rows, as the batch test writes them. */
    private static long unitsOf(int rows) {
        long units = 0;
        for (int i = 0; i < rows; i++) {
            units += i % 7 + 1;
        }
        return units;
    }
}
