package dev.omnistock.analytics.timeline;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The last position seen of one SKU and when each of its locations ran out. Turns each new position
 * into the locations whose stock changed and the stock-out periods that started or ended.
 *
 * @param version    of the last position applied; older or repeated positions change nothing
 * @param levels     each location's stock in that position
 * @param zeroSince  per location (same order as {@code levels}): when available reached 0, or 0 if it is above
 */
public record AvailabilityTimeline(long version, LocationLevel[] levels, long[] zeroSince) implements Serializable {

    public static final AvailabilityTimeline EMPTY = new AvailabilityTimeline(-1, new LocationLevel[0], new long[0]);

    public record Applied(AvailabilityTimeline timeline, List<AvailabilityChange> changes, List<StockoutPeriod> stockouts) {
    }

    public Applied apply(PositionSnapshot position) {
        if (position.version() <= version) {
            return new Applied(this, List.of(), List.of());
        }
        Map<String, Integer> before = new HashMap<>();
        for (int i = 0; i < levels.length; i++) {
            before.put(levels[i].locationId(), i);
        }
        List<AvailabilityChange> changes = new ArrayList<>();
        List<StockoutPeriod> stockouts = new ArrayList<>();
        long at = position.updatedAt();
        long[] zeros = new long[position.levels().length];
        for (int i = 0; i < position.levels().length; i++) {
            LocationLevel now = position.levels()[i];
            Integer was = before.get(now.locationId());
            LocationLevel previous = was == null ? null : levels[was];
            long zeroSinceBefore = was == null ? 0 : zeroSince[was];
            if (!now.equals(previous)) {
                changes.add(new AvailabilityChange(position.sku(), now.locationId(), at, position.version(),
                        now.available(), now.onHand(), now.committed(), now.unavailable()));
            }
            if (now.available() == 0) {
                zeros[i] = zeroSinceBefore != 0 ? zeroSinceBefore : at;
                if (zeroSinceBefore == 0) {
                    stockouts.add(new StockoutPeriod(position.sku(), now.locationId(), at, 0));
                }
            } else if (zeroSinceBefore != 0) {
                stockouts.add(new StockoutPeriod(position.sku(), now.locationId(), zeroSinceBefore, at));
            }
        }
        return new Applied(new AvailabilityTimeline(position.version(), position.levels(), zeros), changes, stockouts);
    }
}
