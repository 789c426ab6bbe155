package dev.omnistock.inventory.orders;

import java.util.List;

/**
 * Where an order stands for its customer, derived from its lines' quantities, never stored apart.
 * The first rule that holds decides (docs/architecture.md lists them):
 * <ol>
 *   <li>PLACED: a line still waits for its answer and the order was not cancelled whole;</li>
 *   <li>REJECTED: no line is reserved (refused, or released because another line was);</li>
 *   <li>RETURNED: units came back and every shipped unit did, nothing still to ship; else PARTIALLY_RETURNED;</li>
 *   <li>EXPIRED: reservations were released because the order was not shipped in time;</li>
 *   <li>CANCELLED: every unit that was not refused was cancelled;</li>
 *   <li>PARTIALLY_SHIPPED: units shipped and units still to ship;</li>
 *   <li>SHIPPED: every unit that was not refused shipped;</li>
 *   <li>PARTIALLY_CANCELLED: units cancelled, the rest shipped or still to ship;</li>
 *   <li>PARTIALLY_ACCEPTED: a line was refused and partial orders are allowed, the rest reserved;</li>
 *   <li>ACCEPTED.</li>
 * </ol>
 */
public enum OrderStatus {
    PLACED, ACCEPTED, PARTIALLY_ACCEPTED, REJECTED, PARTIALLY_SHIPPED, SHIPPED, PARTIALLY_CANCELLED, CANCELLED,
    PARTIALLY_RETURNED, RETURNED, EXPIRED;

    static OrderStatus of(OrderReservation.Status decision, List<OrderReservation.LineState> lines) {
        int refused = 0;
        int shipped = 0;
        int cancelled = 0;
        int returned = 0;
        int expired = 0;
        int open = 0;
        boolean unanswered = false;
        for (OrderReservation.LineState line : lines) {
            if (line.answered() && !line.reserved()) {
                refused += line.quantity();
                continue;
            }
            unanswered |= !line.answered();
            shipped += line.shipped();
            cancelled += line.cancelled();
            returned += line.returned();
            expired += line.expired();
            open += line.quantity() - line.shipped() - line.cancelled() - line.expired();
        }
        if (unanswered && decision != OrderReservation.Status.CANCELLED) {
            return PLACED;
        }
        if (decision == OrderReservation.Status.REJECTED || lines.stream().noneMatch(l -> !l.answered() || l.reserved())) {
            return REJECTED;
        }
        if (returned > 0) {
            return returned == shipped && open == 0 ? RETURNED : PARTIALLY_RETURNED;
        }
        if (expired > 0) {
            return EXPIRED;
        }
        if (cancelled > 0 && shipped == 0 && open == 0) {
            return CANCELLED;
        }
        if (shipped > 0) {
            if (open > 0) {
                return PARTIALLY_SHIPPED;
            }
            if (cancelled == 0) {
                return SHIPPED;
            }
        }
        if (cancelled > 0) {
            return PARTIALLY_CANCELLED;
        }
        return refused > 0 ? PARTIALLY_ACCEPTED : ACCEPTED;
    }
}
