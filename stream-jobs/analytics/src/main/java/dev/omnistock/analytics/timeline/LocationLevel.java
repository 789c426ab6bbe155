package dev.omnistock.analytics.timeline;

import java.io.Serializable;

/**
 * Stock of a SKU at one location (or {@link #NETWORK}, all locations) as one position reported it.
 */
public record LocationLevel(String locationId, int available, int onHand, int committed, int unavailable)
        implements Serializable {

    /** The location id under which the network totals are kept. */
    public static final String NETWORK = "*";
}
