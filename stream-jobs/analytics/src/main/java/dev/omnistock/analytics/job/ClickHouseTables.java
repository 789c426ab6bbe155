package dev.omnistock.analytics.job;

import dev.omnistock.analytics.alerts.AlertRow;
import dev.omnistock.analytics.demand.DemandDimensions;
import dev.omnistock.analytics.demand.DemandFact;
import dev.omnistock.analytics.demand.DemandRow;
import dev.omnistock.analytics.demand.DemandTotals;
import dev.omnistock.analytics.fulfilment.OrderStatusRow;
import dev.omnistock.analytics.notify.DeliveryAttemptRow;
import dev.omnistock.analytics.timeline.AvailabilityChange;
import dev.omnistock.analytics.timeline.StockoutPeriod;
import dev.omnistock.clickhouse.sink.ClickHouseTable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The ClickHouse tables the job writes (DDL in infra/clickhouse/migrations) and how each row fills them. */
public final class ClickHouseTables {

    private static final List<String> DEMAND_FIGURES = List.of("sku", "channel", "location_id", "currency",
            "units_ordered", "orders", "revenue", "units_cancelled", "units_shipped", "units_returned");

    private ClickHouseTables() {
    }

    /**
     * Minute rows: a window fires once (a late correction repeats it rarely), so every row is sent. The
     * demand_per_hour and demand_per_day views roll them up when read.
     */
    public static ClickHouseTable<DemandRow> demandPerMinute() {
        List<String> columns = new ArrayList<>();
        columns.add("minute");
        columns.addAll(DEMAND_FIGURES);
        columns.add("version");
        return new ClickHouseTable<>("demand_per_minute", columns, (row, insert) -> {
            insert.setTimestamp(1, time(row.windowStart()));
            bindFigures(insert, 2, row.dimensions(), row.totals());
            insert.setLong(12, row.totals().facts());
        });
    }

    public static ClickHouseTable<DemandFact> lateEvents() {
        List<String> columns = new ArrayList<>(List.of("event_time", "fact_id"));
        columns.addAll(DEMAND_FIGURES);
        return new ClickHouseTable<>("late_events", columns, (fact, insert) -> {
            insert.setTimestamp(1, time(fact.eventTime()));
            insert.setString(2, fact.factId());
            bindFigures(insert, 3, fact.dimensions(), DemandTotals.NONE.plus(fact));
        });
    }

    /** The DEMAND_FIGURES columns, from parameter {@code first} on. */
    private static void bindFigures(PreparedStatement insert, int first, DemandDimensions dimensions, DemandTotals totals)
            throws SQLException {
        insert.setString(first, dimensions.sku());
        insert.setString(first + 1, dimensions.channel());
        insert.setString(first + 2, dimensions.locationId());
        insert.setString(first + 3, dimensions.currency());
        insert.setLong(first + 4, totals.unitsOrdered());
        insert.setLong(first + 5, totals.orders());
        insert.setBigDecimal(first + 6, totals.revenue());
        insert.setLong(first + 7, totals.unitsCancelled());
        insert.setLong(first + 8, totals.unitsShipped());
        insert.setLong(first + 9, totals.unitsReturned());
    }

    public static ClickHouseTable<AvailabilityChange> availabilityChanges() {
        return new ClickHouseTable<>("availability_changes",
                List.of("sku", "location_id", "version", "changed_at", "available", "on_hand", "committed", "unavailable"),
                (change, insert) -> {
                    insert.setString(1, change.sku());
                    insert.setString(2, change.locationId());
                    insert.setLong(3, change.version());
                    insert.setTimestamp(4, time(change.changedAt()));
                    insert.setInt(5, change.available());
                    insert.setInt(6, change.onHand());
                    insert.setInt(7, change.committed());
                    insert.setInt(8, change.unavailable());
                });
    }

    public static ClickHouseTable<StockoutPeriod> stockoutPeriods() {
        return new ClickHouseTable<>("stockout_periods", List.of("sku", "location_id", "started_at", "ended_at", "closed"),
                (period, insert) -> {
                    insert.setString(1, period.sku());
                    insert.setString(2, period.locationId());
                    insert.setTimestamp(3, time(period.startedAt()));
                    nullableTime(insert, 4, period.open() ? 0 : period.endedAt());
                    insert.setInt(5, period.open() ? 0 : 1);
                });
    }

    public static ClickHouseTable<AlertRow> inventoryAlerts() {
        return new ClickHouseTable<>("inventory_alerts", List.of("event_time", "alert_id", "sku", "location_id", "type",
                "available", "threshold", "projected_stockout_at", "caused_by_event_id"),
                (alert, insert) -> {
                    insert.setTimestamp(1, time(alert.eventTime()));
                    insert.setObject(2, UUID.fromString(alert.alertId())); // a UUID column: sent as one in RowBinary
                    insert.setString(3, alert.sku());
                    insert.setString(4, alert.locationId());
                    insert.setString(5, alert.type());
                    insert.setInt(6, alert.available());
                    insert.setInt(7, alert.threshold());
                    nullableTime(insert, 8, alert.projectedStockoutAt());
                    if (alert.causedByEventId() == null) {
                        insert.setNull(9, Types.VARCHAR);
                    } else {
                        insert.setString(9, alert.causedByEventId());
                    }
                });
    }

    public static ClickHouseTable<OrderStatusRow> orderStatusChanges() {
        return new ClickHouseTable<>("order_status_changes", List.of("order_id", "sequence", "changed_at", "channel", "previous_status",
                "status", "caused_by", "units_ordered", "units_reserved", "units_refused", "units_shipped", "units_cancelled",
                "units_returned", "units_expired", "placement"),
                (row, insert) -> {
                    insert.setString(1, row.orderId());
                    insert.setLong(2, row.sequence());
                    insert.setTimestamp(3, time(row.changedAt()));
                    insert.setString(4, row.channel());
                    insert.setString(5, row.previousStatus());
                    insert.setString(6, row.status());
                    insert.setString(7, row.causedBy());
                    insert.setInt(8, row.unitsOrdered());
                    insert.setInt(9, row.unitsReserved());
                    insert.setInt(10, row.unitsRefused());
                    insert.setInt(11, row.unitsShipped());
                    insert.setInt(12, row.unitsCancelled());
                    insert.setInt(13, row.unitsReturned());
                    insert.setInt(14, row.unitsExpired());
                    insert.setString(15, row.placement());
                });
    }

    public static ClickHouseTable<DeliveryAttemptRow> notificationAttempts() {
        return new ClickHouseTable<>("notification_attempts", List.of("delivery_id", "subscription_id", "notice_id", "kind",
                "destination_kind", "attempt", "attempted_at", "status_code", "latency_ms", "outcome", "failure", "next_attempt_at"),
                (row, insert) -> {
                    insert.setString(1, row.deliveryId());
                    insert.setString(2, row.subscriptionId());
                    insert.setString(3, row.noticeId());
                    insert.setString(4, row.kind());
                    insert.setString(5, row.destinationKind());
                    insert.setInt(6, row.attempt());
                    insert.setTimestamp(7, time(row.attemptedAt()));
                    insert.setInt(8, row.statusCode());
                    insert.setLong(9, row.latencyMs());
                    insert.setString(10, row.outcome());
                    insert.setString(11, row.failure());
                    nullableTime(insert, 12, row.nextAttemptAt());
                });
    }

    private static Timestamp time(long epochMillis) {
        return Timestamp.from(Instant.ofEpochMilli(epochMillis));
    }

    /** 0 means none. */
    private static void nullableTime(PreparedStatement insert, int index, long epochMillis) throws SQLException {
        if (epochMillis == 0) {
            insert.setNull(index, Types.TIMESTAMP);
        } else {
            insert.setTimestamp(index, time(epochMillis));
        }
    }
}
