package dev.omnistock.analytics.demand;

import java.io.Serializable;

/** The dimensions demand is counted by. */
public record DemandDimensions(String sku, String channel, String locationId, String currency) implements Serializable {

    private static final char SEPARATOR = '\u001F';

    /** A compact, unambiguous key (ASCII unit separator between the parts) for grouping. */
    public String key() {
        return sku + SEPARATOR + channel + SEPARATOR + locationId + SEPARATOR + currency;
    }

    public static DemandDimensions ofKey(String key) {
        String[] parts = key.split(String.valueOf(SEPARATOR), -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("Not a demand key: " + key);
        }
        return new DemandDimensions(parts[0], parts[1], parts[2], parts[3]);
    }
}
