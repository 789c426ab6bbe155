package dev.omnistock.inventory.orders;

import java.util.List;

/**
 * Where an order stands for its customer, derived from what became of its lines' units, never stored
 * apart (README, "Order status", has the table). Each ordered unit is in one place: waiting for its
 * line's answer, open (reserved, to ship), refused, shipped, cancelled or expired; returned units are
 * shipped units that came back. The first rule that holds decides:
 * <ol>
 *   <li>PLACED: units wait for their line's answer;</li>
 *   <li>RETURNED: nothing open, units shipped and every one came back; PARTIALLY_RETURNED: units came back;</li>
 *   <li>nothing open: SHIPPED if units shipped, else EXPIRED if units expired, else CANCELLED if units
 *       were cancelled, else REJECTED (every unit refused);</li>
 *   <li>units open: PARTIALLY_SHIPPED if units shipped, else PARTIALLY_CANCELLED if units were
 *       cancelled, else PARTIALLY_ACCEPTED if units were refused, else ACCEPTED.</li>
 * </ol>
 * So a cancel before the answers stays CANCELLED whatever the answers say, an order whose every unit
 * shipped, was cancelled or expired is SHIPPED once one shipped, and a final status (REJECTED,
 * CANCELLED, EXPIRED, SHIPPED, RETURNED) changes only by returns of what shipped.
 */
public enum OrderStatus {
    PLACED, ACCEPTED, PARTIALLY_ACCEPTED, REJECTED, PARTIALLY_SHIPPED, SHIPPED, PARTIALLY_CANCELLED, CANCELLED,
    PARTIALLY_RETURNED, RETURNED, EXPIRED;

    /** What became of one line's units, or of an order's (summed over its lines). */
    record Units(int waiting, int open, int refused, int shipped, int cancelled, int expired, int returned) {

        static Units of(OrderReservation.LineState line) {
            return new Units(line.answered() ? 0 : line.unitsLeft(), line.unitsOpen(), line.unitsRefused(), line.shipped(),
                    line.cancelled(), line.expired(), line.returned());
        }

        static Units of(List<OrderReservation.LineState> lines) {
            Units sum = new Units(0, 0, 0, 0, 0, 0, 0);
            for (OrderReservation.LineState line : lines) {
                Units u = of(line);
                sum = new Units(sum.waiting + u.waiting, sum.open + u.open, sum.refused + u.refused, sum.shipped + u.shipped,
                        sum.cancelled + u.cancelled, sum.expired + u.expired, sum.returned + u.returned);
            }
            return sum;
        }

        /** What a customer is told of a line besides the status: an answer or a refusal is told by the status it leads to. */
        Units told() {
            return new Units(0, 0, 0, shipped, cancelled, expired, returned);
        }
    }

    static OrderStatus of(List<OrderReservation.LineState> lines) {
        Units u = Units.of(lines);
        if (u.waiting() > 0) {
            return PLACED;
        }
        if (u.returned() > 0) {
            return u.open() == 0 && u.returned() == u.shipped() ? RETURNED : PARTIALLY_RETURNED;
        }
        if (u.open() == 0) {
            return u.shipped() > 0 ? SHIPPED : u.expired() > 0 ? EXPIRED : u.cancelled() > 0 ? CANCELLED : REJECTED;
        }
        if (u.shipped() > 0) {
            return PARTIALLY_SHIPPED;
        }
        if (u.cancelled() > 0) {
            return PARTIALLY_CANCELLED;
        }
        return u.refused() > 0 ? PARTIALLY_ACCEPTED : ACCEPTED;
    }
}
