package dev.omnistock.analytics.alerts;

import java.io.Serializable;

/**
 * A row of inventory_alerts: an alert from the alerts topic (the inventory service's stock alerts and
 * this job's predicted stock-outs). Identity: sku, eventTime, alertId.
 *
 * @param locationId          {@code *} for an alert about the network total
 * @param projectedStockoutAt 0 unless the alert is a predicted stock-out
 */
public record AlertRow(String alertId, long eventTime, String sku, String locationId, String type, int available,
                       int threshold, long projectedStockoutAt, String causedByEventId) implements Serializable {
}
