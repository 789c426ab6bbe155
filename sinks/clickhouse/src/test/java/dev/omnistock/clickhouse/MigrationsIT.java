package dev.omnistock.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The migrations on a real ClickHouse: applied once, again a no-op, and the table behaves as designed. */
@ExtendWith(RealStackExtension.class)
class MigrationsIT {

    @Test
    void migrationsApplyOnceAndTheDemandTableKeepsOneRowPerIdentity(TestNamespace ns) throws Exception {
        try (Connection connection = ClickHouseConnection.at(ns.clickHouseJdbcUrl()).open()) {
            assertThat(Migrations.apply(connection)).containsExactly("V001__demand_per_minute.sql", "V002__analytics.sql", "V003__inserted_at.sql",
                    "V004__fulfilment_and_notifications.sql", "V005__rollups_at_query_time.sql", "V006__rollups_read_the_archive.sql",
                    "V007__order_placements.sql");
            assertThat(Migrations.apply(connection)).isEmpty();

            try (Statement sql = connection.createStatement()) {
                // The same identity written twice (a replay) with a newer version, and another row.
                sql.execute("""
                        INSERT INTO demand_per_minute (minute, sku, channel, location_id, currency, units_ordered, orders,
                                                       revenue, units_cancelled, units_shipped, units_returned, version) VALUES
                          ('2026-11-23 10:00:00', 'SKU-1', 'WEB', 'DC', 'EUR', 3, 2, 59.9700, 0, 0, 0, 1),
                          ('2026-11-23 10:00:00', 'SKU-1', 'WEB', 'DC', 'EUR', 3, 2, 59.9700, 0, 0, 0, 2),
                          ('2026-11-23 10:01:00', 'SKU-1', 'WEB', 'DC', 'EUR', 1, 1, 19.9900, 0, 0, 0, 2)""");
                try (ResultSet rs = sql.executeQuery("SELECT sum(units_ordered), sum(revenue), count(), "
                        + "countIf(inserted_at > now64(3) - INTERVAL 1 MINUTE) FROM demand_per_minute FINAL")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isEqualTo(4);
                    assertThat(rs.getBigDecimal(2)).isEqualByComparingTo("79.96");
                    assertThat(rs.getLong(3)).isEqualTo(2);
                    assertThat(rs.getLong(4)).as("rows stamped with their insert time").isEqualTo(2);
                }
            }
        }
    }

    /**
     * An order id placed again after its first order was forgotten restarts at sequence 1: the placement is part of
     * the key, so both placements' rows survive FINAL. Rows written before V007 keep placement ''.
     */
    @Test
    void twoPlacementsOfOneOrderIdWithTheSameSequenceAreTwoRows(TestNamespace ns) throws Exception {
        try (Connection connection = ClickHouseConnection.at(ownDatabase(ns, "_placements")).open(); Statement sql = connection.createStatement()) {
            Migrations.apply(connection, "V006__rollups_read_the_archive.sql");
            String insert = "INSERT INTO order_status_changes (order_id, sequence, changed_at, channel, previous_status, status, caused_by, "
                    + "units_ordered, units_reserved, units_refused, units_shipped, units_cancelled, units_returned, units_expired";
            sql.execute(insert + ") VALUES ('o1', 1, '2026-11-23 10:00:00', 'WEB', '', 'PLACED', 'e0', 1, 0, 0, 0, 0, 0, 0)");

            assertThat(Migrations.apply(connection)).containsExactly("V007__order_placements.sql");
            assertThat(rows(sql, "SELECT sorting_key FROM system.tables WHERE database = currentDatabase() AND name = 'order_status_changes'"))
                    .containsExactly("order_id, sequence, placement");
            assertThat(rows(sql, "SELECT type FROM system.columns WHERE database = currentDatabase() "
                    + "AND table = 'order_status_changes' AND name = 'placement'")).containsExactly("String");

            // Separate inserts (separate parts, as the job's batches are); the second placement's first change twice (a replay).
            sql.execute(insert + ", placement) VALUES ('o1', 1, '2026-11-24 10:00:00', 'WEB', '', 'PLACED', 'e1', 2, 0, 0, 0, 0, 0, 0, 'e1')");
            sql.execute(insert + ", placement) VALUES ('o1', 1, '2026-11-24 10:00:00', 'WEB', '', 'PLACED', 'e1', 2, 0, 0, 0, 0, 0, 0, 'e1')");
            sql.execute(insert + ", placement) VALUES ('o1', 1, '2026-11-25 10:00:00', 'WEB', '', 'PLACED', 'e2', 3, 0, 0, 0, 0, 0, 0, 'e2')");
            assertThat(rows(sql, "SELECT placement, caused_by, units_ordered FROM order_status_changes FINAL ORDER BY changed_at"))
                    .containsExactly(" e0 1", "e1 e1 2", "e2 e2 3");
        }
    }

    @Test
    void hoursAndDaysRollUpTheMinutesCountingAReplayedOrCorrectedMinuteOnce(TestNamespace ns) throws Exception {
        try (Connection connection = ClickHouseConnection.at(ns.clickHouseJdbcUrl()).open(); Statement sql = connection.createStatement()) {
            Migrations.apply(connection);
            // 10:00 written twice (a replay), 10:01 corrected by a later version with more units, 11:30 in the next
            // hour, and the next day's first minute. The inserts are separate parts, as the job's batches are.
            for (String rows : new String[] {
                    "('2026-11-23 10:00:00', 'SKU-1', 'WEB', 'DC', 'EUR', 3, 2, 59.9700, 0, 0, 0, 2)",
                    "('2026-11-23 10:00:00', 'SKU-1', 'WEB', 'DC', 'EUR', 3, 2, 59.9700, 0, 0, 0, 2), "
                            + "('2026-11-23 10:01:00', 'SKU-1', 'WEB', 'DC', 'EUR', 1, 1, 19.9900, 0, 0, 0, 1)",
                    "('2026-11-23 10:01:00', 'SKU-1', 'WEB', 'DC', 'EUR', 2, 2, 39.9800, 1, 0, 0, 3)",
                    "('2026-11-23 11:30:00', 'SKU-1', 'WEB', 'DC', 'EUR', 5, 1, 99.9500, 0, 2, 0, 1), "
                            + "('2026-11-24 00:00:00', 'SKU-1', 'WEB', 'DC', 'EUR', 1, 1, 19.9900, 0, 0, 1, 1)"}) {
                sql.execute("INSERT INTO demand_per_minute (minute, sku, channel, location_id, currency, units_ordered, orders, "
                        + "revenue, units_cancelled, units_shipped, units_returned, version) VALUES " + rows);
            }
            assertThat(rows(sql, "SELECT toString(hour), units_ordered, orders, revenue, units_cancelled, units_shipped, "
                    + "units_returned, version FROM demand_per_hour WHERE sku = 'SKU-1' ORDER BY hour")).containsExactly(
                    "2026-11-23 10:00:00 5 4 99.9500 1 0 0 5",
                    "2026-11-23 11:00:00 5 1 99.9500 0 2 0 1",
                    "2026-11-24 00:00:00 1 1 19.9900 0 0 1 1");
            assertThat(rows(sql, "SELECT toString(day), units_ordered, orders, revenue, units_cancelled, units_shipped, "
                    + "units_returned, version FROM demand_per_day WHERE sku = 'SKU-1' ORDER BY day")).containsExactly(
                    "2026-11-23 00:00:00 10 5 199.9000 1 2 0 6",
                    "2026-11-24 00:00:00 1 1 19.9900 0 0 1 1");
        }
    }

    /**
     * A deployment older than V005: the job wrote hours and days for its whole history, the minutes' TTL (400 days)
     * has removed the oldest minutes. After the migrations the views give the hours and days of the whole history:
     * archived rows before the minutes, the minutes after, each period once.
     */
    @Test
    void hoursAndDaysTheMinutesNoLongerHoldAreReadFromTheTablesTheJobWrote(TestNamespace ns) throws Exception {
        try (Connection connection = ClickHouseConnection.at(ownDatabase(ns, "_older")).open(); Statement sql = connection.createStatement()) {
            assertThat(Migrations.apply(connection, "V004__fulfilment_and_notifications.sql")).last()
                    .isEqualTo("V004__fulfilment_and_notifications.sql");
            // What was sold, minute by minute; the TTL had removed the minutes before `horizon`, and the job wrote
            // hours and days until `upgrade` (mid-hour, so its last hour and day are partial).
            // Within the minutes' TTL before V005 (400 days), which ClickHouse applies on insert too.
            Instant base = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(399, ChronoUnit.DAYS);
            Map<Instant, Integer> history = new TreeMap<>();
            Instant start = base.minus(Duration.ofMinutes(15 * 60 + 50));
            for (int i = 0; i < 200; i++) {
                history.merge(start.plus(i * 17L, ChronoUnit.MINUTES), 1 + i % 4, Integer::sum);
            }
            Instant horizon = base.plus(Duration.ofMinutes(3 * 60 + 30));
            Instant upgrade = base.plus(Duration.ofMinutes(34 * 60 + 20));
            StringBuilder minutes = new StringBuilder();
            history.forEach((at, units) -> {
                if (!at.isBefore(horizon)) {
                    minutes.append(minutes.isEmpty() ? "" : ", ").append(row(at, units, 1));
                }
            });
            sql.execute(INSERT.formatted("demand_per_minute", "minute") + minutes);
            for (ChronoUnit period : List.of(ChronoUnit.HOURS, ChronoUnit.DAYS)) {
                Map<Instant, Integer> written = rollUp(history, period, upgrade);
                StringBuilder rows = new StringBuilder();
                written.forEach((at, units) -> rows.append(rows.isEmpty() ? "" : ", ").append(row(at, units, 7)));
                String table = period == ChronoUnit.HOURS ? "demand_per_hour" : "demand_per_day";
                sql.execute(INSERT.formatted(table, period == ChronoUnit.HOURS ? "hour" : "day") + rows);
            }

            assertThat(Migrations.apply(connection)).containsExactly("V005__rollups_at_query_time.sql", "V006__rollups_read_the_archive.sql",
                    "V007__order_placements.sql");

            Instant end = history.keySet().stream().max(Instant::compareTo).orElseThrow().plus(1, ChronoUnit.DAYS);
            assertThat(rows(sql, "SELECT toUnixTimestamp(hour), units_ordered, revenue FROM demand_per_hour FINAL ORDER BY hour"))
                    .as("every hour of the history once").containsExactlyElementsOf(expected(rollUp(history, ChronoUnit.HOURS, end)));
            assertThat(rows(sql, "SELECT toUnixTimestamp(day), units_ordered, revenue FROM demand_per_day FINAL ORDER BY day"))
                    .as("every day of the history once").containsExactlyElementsOf(expected(rollUp(history, ChronoUnit.DAYS, end)));
        }
    }

    /** V005 as first released dropped the job's tables; such a deployment starts, and its views read the minutes. */
    @Test
    void aDeploymentThatAppliedV005AsReleasedGetsEmptyArchivesAndTheViews(TestNamespace ns) throws Exception {
        try (Connection connection = ClickHouseConnection.at(ownDatabase(ns, "_released_v005")).open(); Statement sql = connection.createStatement()) {
            Migrations.apply(connection, "V004__fulfilment_and_notifications.sql");
            // What the released V005 left behind (its views stood in by simpler ones), with its checksum recorded.
            sql.execute("DROP TABLE demand_per_hour");
            sql.execute("DROP TABLE demand_per_day");
            sql.execute("CREATE VIEW demand_per_hour AS SELECT toStartOfHour(minute) AS hour FROM demand_per_minute");
            sql.execute("CREATE VIEW demand_per_day AS SELECT toStartOfDay(minute) AS day FROM demand_per_minute");
            sql.execute("INSERT INTO schema_migrations (name, checksum) VALUES ('V005__rollups_at_query_time.sql', "
                    + "'9033fbb0b2c13417796f254ca83ca4890394e8dcd178116f5f280d285b0b9920')");
            Instant minute = Instant.parse("2026-11-23T10:05:00Z");
            sql.execute(INSERT.formatted("demand_per_minute", "minute") + row(minute, 3, 1) + ", " + row(minute.plusSeconds(60), 2, 1));

            assertThat(Migrations.apply(connection)).containsExactly("V006__rollups_read_the_archive.sql", "V007__order_placements.sql");
            assertThat(rows(sql, "SELECT count() FROM demand_per_hour_until_v005")).containsExactly("0");
            assertThat(rows(sql, "SELECT toUnixTimestamp(hour), units_ordered, revenue FROM demand_per_hour FINAL"))
                    .containsExactly(minute.truncatedTo(ChronoUnit.HOURS).getEpochSecond() + " 5 50.0000");
            assertThat(rows(sql, "SELECT toUnixTimestamp(day), units_ordered FROM demand_per_day FINAL"))
                    .containsExactly(minute.truncatedTo(ChronoUnit.DAYS).getEpochSecond() + " 5");
        }
    }

    private static final String INSERT = "INSERT INTO %s (%s, sku, channel, location_id, currency, units_ordered, orders, revenue, "
            + "units_cancelled, units_shipped, units_returned, version) VALUES ";

    /** A row of SKU-1 with {@code units} ordered at 10.00 each. */
    private static String row(Instant at, int units, int version) {
        return "(toDateTime(" + at.getEpochSecond() + ", 'UTC'), 'SKU-1', 'WEB', 'DC', 'EUR', " + units + ", 1, " + units * 10 + ", 0, 0, 0, "
                + version + ")";
    }

    /** The units of the minutes before {@code until}, by the period they fall in. */
    private static Map<Instant, Integer> rollUp(Map<Instant, Integer> history, ChronoUnit period, Instant until) {
        Map<Instant, Integer> periods = new TreeMap<>();
        history.forEach((at, units) -> {
            if (at.isBefore(until)) {
                periods.merge(at.truncatedTo(period), units, Integer::sum);
            }
        });
        return periods;
    }

    private static List<String> expected(Map<Instant, Integer> periods) {
        return periods.entrySet().stream().map(e -> e.getKey().getEpochSecond() + " " + e.getValue() + " " + e.getValue() * 10 + ".0000").toList();
    }

    private static List<String> rows(Statement sql, String query) throws Exception {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = sql.executeQuery(query)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder(rs.getString(1));
                for (int column = 2; column <= columns; column++) {
                    row.append(' ').append(rs.getString(column));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    /** A database of its own, for a test that builds an older deployment's schema. */
    private static String ownDatabase(TestNamespace ns, String suffix) throws Exception {
        try (Connection connection = ClickHouseConnection.at(ns.clickHouseJdbcUrl()).open();
             Statement sql = connection.createStatement()) {
            sql.execute("CREATE DATABASE IF NOT EXISTS " + ns.clickHouseDatabase() + suffix);
        }
        return ns.clickHouseJdbcUrl() + suffix;
    }

    @Test
    void aMigrationChangedAfterItWasAppliedIsRefused(TestNamespace ns) throws Exception {
        try (Connection connection = ClickHouseConnection.at(ownDatabase(ns, "_edited")).open(); Statement sql = connection.createStatement()) {
            Migrations.apply(connection);
            sql.execute("INSERT INTO schema_migrations (name, checksum) VALUES ('V001__demand_per_minute.sql', 'not-what-was-applied')");
            sql.execute("OPTIMIZE TABLE schema_migrations FINAL");
            assertThatThrownBy(() -> Migrations.apply(connection))
                    .hasMessageContaining("V001__demand_per_minute.sql changed after it was applied");
        }
    }
}
