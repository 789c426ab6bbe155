package dev.omnistock.analytics.demand;

import java.io.Serializable;
import java.math.BigDecimal;

/** What this job knows of one line of an order it saw placed. */
public record OrderedLine(String lineId, String sku, int ordered, int cancelled, int shipped, BigDecimal unitPrice)
        implements Serializable {

    /** Units neither cancelled nor shipped yet: what a whole-order cancel cancels. */
    public int open() {
        return Math.max(0, ordered - cancelled - shipped);
    }

    OrderedLine cancel(int units) {
        return new OrderedLine(lineId, sku, ordered, cancelled + units, shipped, unitPrice);
    }

    OrderedLine ship(int units) {
        return new OrderedLine(lineId, sku, ordered, cancelled, shipped + units, unitPrice);
    }
}
