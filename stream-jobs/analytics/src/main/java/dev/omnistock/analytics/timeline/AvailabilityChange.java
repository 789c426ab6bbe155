package dev.omnistock.analytics.timeline;

import java.io.Serializable;

/** A row of availability_changes: one location's stock after a change. Identity: sku, location, version. */
public record AvailabilityChange(String sku, String locationId, long changedAt, long version,
                                 int available, int onHand, int committed, int unavailable) implements Serializable {
}
