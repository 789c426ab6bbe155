package dev.omnistock.inventory.ledger;

import java.util.TreeMap;

/** Quantities of one SKU at one location. Unavailable units are physically there: they are part of on_hand. */
final class LocationStock {

    int onHand;
    int committed;
    int incoming;
    int unavailable;
    /** Location-specific settings; null falls back to the SKU's. */
    Integer safetyStock;
    Integer lowStockThreshold;
    /** Event time of the latest count applied here; movements from before it are already in that count. */
    long lastCountAtMillis = Long.MIN_VALUE;
    /** Open expected receipts: inboundId to units not yet received. */
    final TreeMap<String, Integer> expectedInbound = new TreeMap<>();
    /** inboundId to when it stops counting as incoming if it has not arrived. */
    final TreeMap<String, Long> inboundExpiresAt = new TreeMap<>();

    int available(int effectiveSafetyStock) {
        return Math.max(0, unreserved() - effectiveSafetyStock);
    }

    /** Sellable units not yet committed; below zero only when a till sale sold what the ledger did not know of. */
    int unreserved() {
        return onHand - committed - unavailable;
    }
}
