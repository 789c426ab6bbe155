package dev.omnistock.analytics.fulfilment;

import java.io.Serializable;

/**
 * A row of order_status_changes: one change of one order, with the units of the lines it touched.
 * Identity: orderId, sequence, placement (a replayed change writes the same row again; an order id placed again after
 * its first order was forgotten restarts at sequence 1, and its placement tells the two apart).
 *
 * @param previousStatus empty for the placement
 * @param placement the id of the event that placed the order
 */
public record OrderStatusRow(String orderId, long sequence, long changedAt, String channel, String previousStatus, String status,
                             String causedBy, int unitsOrdered, int unitsReserved, int unitsRefused, int unitsShipped, int unitsCancelled,
                             int unitsReturned, int unitsExpired, String placement) implements Serializable {

    public OrderStatusRow {
        // A row a checkpoint of an older build holds (the sink's pending rows, Java-serialized) has no placement: the
        // canonical constructor gets null, and the row is written as the rows before V007 were, with ''.
        placement = placement == null ? "" : placement;
    }
}
