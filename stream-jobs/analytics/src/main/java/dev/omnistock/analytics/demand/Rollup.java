package dev.omnistock.analytics.demand;

import java.util.Optional;

/**
 * Rolls rows of a finer grain (minutes) up into one row of a coarser grain (an hour). A finer row
 * arrives again whenever late facts correct it; its new figures replace its old ones in the total
 * instead of adding to them, so the coarser row never double counts.
 */
public final class Rollup {

    private Rollup() {
    }

    /**
     * @param total    the coarser row's figures so far
     * @param previous the finer row's figures as last counted into {@code total}, if any
     * @param current  the finer row's figures now
     * @return the new total, or empty when {@code current} is not newer than {@code previous}
     */
    public static Optional<DemandTotals> replace(DemandTotals total, Optional<DemandTotals> previous, DemandTotals current) {
        if (previous.isPresent() && previous.get().facts() >= current.facts()) {
            return Optional.empty();
        }
        return Optional.of(total.minus(previous.orElse(DemandTotals.NONE)).plus(current));
    }
}
