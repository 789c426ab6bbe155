package dev.omnistock.analytics.demand;

import java.io.Serializable;

/**
 * One row of demand_per_minute. Its identity is the minute's start and the dimensions;
 * {@code totals.facts()} is its version.
 */
public record DemandRow(long windowStart, DemandDimensions dimensions, DemandTotals totals) implements Serializable {
}
