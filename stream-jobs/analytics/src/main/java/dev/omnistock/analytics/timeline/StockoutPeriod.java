package dev.omnistock.analytics.timeline;

import java.io.Serializable;

/**
 * A row of stockout_periods: a time when a SKU had nothing available at a location. Written when it
 * starts (endedAt 0: still out of stock) and again when it ends; both share the identity sku,
 * location, startedAt, and the ended row wins.
 */
public record StockoutPeriod(String sku, String locationId, long startedAt, long endedAt) implements Serializable {

    public boolean open() {
        return endedAt == 0;
    }
}
