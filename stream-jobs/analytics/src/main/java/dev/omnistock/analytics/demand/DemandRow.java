package dev.omnistock.analytics.demand;

import java.io.Serializable;

/**
 * One row of demand_per_minute, demand_per_hour or demand_per_day. Its identity is the window start
 * and the dimensions; {@code totals.facts()} is its version.
 */
public record DemandRow(long windowStart, DemandDimensions dimensions, DemandTotals totals) implements Serializable {
}
