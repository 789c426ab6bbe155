package dev.omnistock.analytics.timeline;

import java.io.Serializable;

/**
 * A SKU's inventory position as the inventory service published it.
 *
 * @param version   increases by one with every change of the SKU's position
 * @param levels    every location, then the network totals under {@link LocationLevel#NETWORK}
 */
public record PositionSnapshot(String sku, long version, long updatedAt, LocationLevel[] levels, String causedByEventId)
        implements Serializable {

    public int networkAvailable() {
        for (LocationLevel level : levels) {
            if (LocationLevel.NETWORK.equals(level.locationId())) {
                return level.available();
            }
        }
        throw new IllegalStateException("Position of " + sku + " has no network level");
    }
}
