package dev.omnistock.analytics.demand;

import java.io.Serializable;
import java.math.BigDecimal;

/**
 * Demand figures summed over a window.
 *
 * @param facts how many facts went in. It only grows as late facts arrive, and the same facts always
 *              give the same number, so it is the row's version: a replay writes the same version
 *              again, a later correction a higher one.
 */
public record DemandTotals(
        long unitsOrdered,
        long orders,
        BigDecimal revenue,
        long unitsCancelled,
        long unitsShipped,
        long unitsReturned,
        long facts) implements Serializable {

    public static final DemandTotals NONE = new DemandTotals(0, 0, BigDecimal.ZERO.setScale(4), 0, 0, 0, 0);

    public DemandTotals plus(DemandFact fact) {
        return new DemandTotals(unitsOrdered + fact.unitsOrdered(), orders + fact.orders(), revenue.add(fact.revenue()),
                unitsCancelled + fact.unitsCancelled(), unitsShipped + fact.unitsShipped(),
                unitsReturned + fact.unitsReturned(), facts + 1);
    }

    public DemandTotals plus(DemandTotals other) {
        return new DemandTotals(unitsOrdered + other.unitsOrdered, orders + other.orders, revenue.add(other.revenue),
                unitsCancelled + other.unitsCancelled, unitsShipped + other.unitsShipped,
                unitsReturned + other.unitsReturned, facts + other.facts);
    }

    public DemandTotals minus(DemandTotals other) {
        return new DemandTotals(unitsOrdered - other.unitsOrdered, orders - other.orders, revenue.subtract(other.revenue),
                unitsCancelled - other.unitsCancelled, unitsShipped - other.unitsShipped,
                unitsReturned - other.unitsReturned, facts - other.facts);
    }
}
