package dev.omnistock.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The migrations on a real ClickHouse: applied once, again a no-op, and the table behaves as designed. */
@ExtendWith(RealStackExtension.class)
class MigrationsIT {

    @Test
    void migrationsApplyOnceAndTheDemandTableKeepsOneRowPerIdentity(TestNamespace ns) throws Exception {
        try (Connection connection = ClickHouseConnection.at(ns.clickHouseJdbcUrl()).open()) {
            assertThat(Migrations.apply(connection)).containsExactly("V001__demand_per_minute.sql", "V002__analytics.sql", "V003__inserted_at.sql",
                    "V004__fulfilment_and_notifications.sql", "V005__rollups_at_query_time.sql");
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

    @Test
    void aMigrationChangedAfterItWasAppliedIsRefused(TestNamespace ns) throws Exception {
        try (Connection connection = ClickHouseConnection.at(ns.clickHouseJdbcUrl()).open();
             Statement sql = connection.createStatement()) {
            sql.execute("CREATE DATABASE IF NOT EXISTS " + ns.clickHouseDatabase() + "_edited");
        }
        String edited = ns.clickHouseJdbcUrl() + "_edited";
        try (Connection connection = ClickHouseConnection.at(edited).open(); Statement sql = connection.createStatement()) {
            Migrations.apply(connection);
            sql.execute("INSERT INTO schema_migrations (name, checksum) VALUES ('V001__demand_per_minute.sql', 'not-what-was-applied')");
            sql.execute("OPTIMIZE TABLE schema_migrations FINAL");
            assertThatThrownBy(() -> Migrations.apply(connection))
                    .hasMessageContaining("V001__demand_per_minute.sql changed after it was applied");
        }
    }
}
