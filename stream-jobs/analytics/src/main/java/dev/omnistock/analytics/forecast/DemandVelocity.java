package dev.omnistock.analytics.forecast;

import java.io.Serializable;
import java.time.Duration;

/**
 * Units ordered per hour, exponentially weighted: each order's weight halves every {@code halfLife},
 * so the figure follows a change in demand within about a half-life and forgets old peaks. Under a
 * steady demand of r units per hour it settles at r.
 *
 * @param unitsPerHour the rate as of {@code at}
 * @param at           epoch milliseconds of the last update
 */
public record DemandVelocity(double unitsPerHour, long at) implements Serializable {

    public static final DemandVelocity NONE = new DemandVelocity(0, Long.MIN_VALUE);

    private static final double MILLIS_PER_HOUR = 3_600_000d;

    /** The rate at {@code time}, with no demand since {@code at}. */
    public double unitsPerHourAt(long time, Duration halfLife) {
        if (at == Long.MIN_VALUE) {
            return 0;
        }
        return unitsPerHour * decay(Math.max(0, time - at), halfLife);
    }

    /** After {@code units} more were ordered at {@code time}. Events older than {@code at} count as of {@code at}. */
    public DemandVelocity withOrder(long time, long units, Duration halfLife) {
        long now = at == Long.MIN_VALUE ? time : Math.max(time, at);
        double tauHours = halfLife.toMillis() / MILLIS_PER_HOUR / Math.log(2);
        return new DemandVelocity(unitsPerHourAt(now, halfLife) + units / tauHours, now);
    }

    private static double decay(long elapsedMillis, Duration halfLife) {
        return Math.pow(0.5, elapsedMillis / (double) halfLife.toMillis());
    }
}
