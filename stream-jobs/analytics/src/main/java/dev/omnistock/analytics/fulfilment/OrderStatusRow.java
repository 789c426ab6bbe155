package dev.omnistock.analytics.fulfilment;

import java.io.Serializable;

/**
 * A row of order_status_changes: one change of one order, with the units of the lines it touched.
 * Identity: orderId, sequence (a replayed change writes the same row again).
 *
 * @param previousStatus empty for the placement
 */
public record OrderStatusRow(String orderId, long sequence, long changedAt, String channel, String previousStatus, String status,
                             String causedBy, int unitsOrdered, int unitsReserved, int unitsRefused, int unitsShipped, int unitsCancelled,
                             int unitsReturned, int unitsExpired) implements Serializable {
}
