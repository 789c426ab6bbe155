package dev.omnistock.analytics.demand;

import java.io.Serializable;
import java.math.BigDecimal;

/**
 * What one order event did to demand for one SKU, channel, location and currency. The figures of a
 * minute are the sum of its facts.
 *
 * @param factId the order event id and line: the same event always gives the same fact ids
 */
public record DemandFact(
        String factId,
        long eventTime,
        String sku,
        String channel,
        String locationId,
        String currency,
        long unitsOrdered,
        long orders,
        BigDecimal revenue,
        long unitsCancelled,
        long unitsShipped,
        long unitsReturned) implements Serializable {

    /** Location of demand not tied to one store or warehouse (an order that asked for none). */
    public static final String UNASSIGNED = "unassigned";
    /** ISO 4217's code for "no currency": lines whose order this job never saw placed. */
    public static final String NO_CURRENCY = "XXX";

    public DemandDimensions dimensions() {
        return new DemandDimensions(sku, channel, locationId, currency);
    }
}
