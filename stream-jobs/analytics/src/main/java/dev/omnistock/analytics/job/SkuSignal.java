package dev.omnistock.analytics.job;

import java.io.Serializable;

/**
 * What the stock-out forecast hears about a SKU: units ordered, its network availability, or its lead
 * time. One stream of them, keyed by SKU, so the forecast sees all three in one place.
 */
public record SkuSignal(Kind kind, String sku, long at, long units, int available, int leadTimeDays, String eventId)
        implements Serializable {

    public enum Kind { ORDERED, AVAILABLE, LEAD_TIME }

    static SkuSignal ordered(String sku, long at, long units, String eventId) {
        return new SkuSignal(Kind.ORDERED, sku, at, units, 0, 0, eventId);
    }

    static SkuSignal available(String sku, long at, int available, String eventId) {
        return new SkuSignal(Kind.AVAILABLE, sku, at, 0, available, 0, eventId);
    }

    static SkuSignal leadTime(String sku, long at, int days) {
        return new SkuSignal(Kind.LEAD_TIME, sku, at, 0, 0, days, null);
    }
}
