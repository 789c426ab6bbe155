package dev.omnistock.inventory.api;

import dev.omnistock.events.InventoryPosition;
import dev.omnistock.inventory.ledger.Position;
import java.util.List;

/**
 * A SKU's availability as the API and the live feed show it (JSON).
 *
 * @param causedByEventId on the feed, the event that made this change; null from the lookup API
 * @param stale           true when read from a standby's copy while the SKU's host was away (asked for with
 *                        {@code ?stale=ok}): it may lag behind the position {@code version} says it is
 */
public record AvailabilityView(String sku, Quantities network, List<LocationView> locations, long version, String causedByEventId,
                               boolean stale) {

    public record Quantities(int onHand, int committed, int incoming, int unavailable, int safetyStock, int available) {
    }

    public record LocationView(String locationId, Quantities quantities) {
    }

    static AvailabilityView from(Position position) {
        return new AvailabilityView(position.sku(), quantities(position.network()),
                position.locations().stream().map(l -> new LocationView(l.locationId(), quantities(l.totals()))).toList(),
                position.version(), null, false);
    }

    AvailabilityView asStale() {
        return new AvailabilityView(sku, network, locations, version, causedByEventId, true);
    }

    static AvailabilityView from(InventoryPosition p) {
        return new AvailabilityView(p.getSku(),
                new Quantities(p.getOnHand(), p.getCommitted(), p.getIncoming(), p.getUnavailable(), p.getSafetyStock(), p.getAvailable()),
                p.getLocations().stream().map(l -> new LocationView(l.getLocationId(), new Quantities(l.getOnHand(), l.getCommitted(),
                        l.getIncoming(), l.getUnavailable(), l.getSafetyStock(), l.getAvailable()))).toList(),
                p.getVersion(), p.getCausedByEventId(), false);
    }

    private static Quantities quantities(Position.Totals t) {
        return new Quantities(t.onHand(), t.committed(), t.incoming(), t.unavailable(), t.safetyStock(), t.available());
    }
}
