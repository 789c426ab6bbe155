package dev.omnistock.analytics.demand;

import java.time.Duration;

/** The time grains demand is kept at. Hours and days are UTC. */
public enum Grain {
    MINUTE(Duration.ofMinutes(1)), HOUR(Duration.ofHours(1)), DAY(Duration.ofDays(1));

    private final long millis;

    Grain(Duration length) {
        this.millis = length.toMillis();
    }

    public long millis() {
        return millis;
    }

    public long start(long timestamp) {
        return timestamp - Math.floorMod(timestamp, millis);
    }
}
