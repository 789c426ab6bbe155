package dev.omnistock.analytics.forecast;

import java.io.Serializable;

/**
 * A SKU is projected to run out before a replenishment could arrive.
 *
 * @param projectedStockoutAt epoch milliseconds when available reaches zero at the current velocity
 * @param unitsToCoverLeadTime units the lead time needs at that velocity (rounded up)
 */
public record StockoutPrediction(String sku, long at, int available, double unitsPerHour, int leadTimeDays,
                                 long projectedStockoutAt, int unitsToCoverLeadTime, String causedByEventId)
        implements Serializable {
}
