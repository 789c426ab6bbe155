package dev.omnistock.inventory.ledger;

import java.util.List;

/** A SKU's position as storefronts and planners see it: per location and network totals. */
public record Position(String sku, List<LocationPosition> locations, Totals network, long version) {

    public record LocationPosition(String locationId, Totals totals) {
    }

    public record Totals(int onHand, int committed, int incoming, int unavailable, int safetyStock, int available) {
    }
}
