package dev.omnistock.inventory.api;

import dev.omnistock.events.OrderLineStatus;
import dev.omnistock.events.OrderStatusChanged;
import dev.omnistock.inventory.orders.OrderReservation;
import java.time.Instant;
import java.util.List;

/**
 * An order as GET /v1/orders/{orderId} shows it (JSON): where it stands, its lines' units by what
 * became of them, and its timeline of changes, oldest first.
 */
public record OrderView(String orderId, String channel, String status, List<LineView> lines, List<ChangeView> timeline) {

    /**
     * @param open units neither shipped, cancelled, expired nor refused: what the warehouse still has to ship
     */
    public record LineView(String lineId, String sku, int ordered, int reserved, int refused, int shipped, int cancelled, int returned,
                           int expired, int open, List<LocationQuantity> reservedAt, String refusalReason) {
    }

    public record LocationQuantity(String locationId, int quantity) {
    }

    /** One change, at an ISO-8601 instant; the same as an event on the order's status feed and the order-status topic. */
    public record ChangeView(String changeId, long sequence, String at, String previousStatus, String status, String causedBy,
                             List<LineView> lines) {
    }

    static OrderView from(OrderReservation order) {
        return new OrderView(order.orderId(), order.channel(), order.trackingStatus().name(),
                order.lineStates().stream().map(OrderView::line).toList(),
                order.timeline().stream().map(change -> new ChangeView(order.orderId() + "/" + change.sequence(), change.sequence(),
                        Instant.ofEpochMilli(change.atMillis()).toString(), change.previous() == null ? null : change.previous().name(),
                        change.status().name(), change.causedBy(), change.lines().stream().map(OrderView::line).toList())).toList());
    }

    static ChangeView change(OrderStatusChanged c) {
        return new ChangeView(c.getChangeId(), c.getSequence(), c.getChangedAt().toString(),
                c.getPreviousStatus() == null ? null : c.getPreviousStatus().name(), c.getStatus().name(), c.getCausedBy(),
                c.getChangedLines().stream().map(OrderView::line).toList());
    }

    private static LineView line(OrderReservation.LineState l) {
        boolean refused = l.answered() && !l.reserved();
        return new LineView(l.lineId(), l.sku(), l.quantity(), l.reserved() ? l.quantity() : 0, refused ? l.quantity() : 0,
                l.shipped(), l.cancelled(), l.returned(), l.expired(), refused ? 0 : l.quantity() - l.shipped() - l.cancelled() - l.expired(),
                l.allocations().stream().map(a -> new LocationQuantity(a.locationId(), a.quantity())).toList(), l.rejectionReason());
    }

    private static LineView line(OrderLineStatus l) {
        return new LineView(l.getLineId(), l.getSku(), l.getOrdered(), l.getReserved(), l.getRefused(), l.getShipped(), l.getCancelled(),
                l.getReturned(), l.getExpired(), l.getRefused() > 0 ? 0 : l.getOrdered() - l.getShipped() - l.getCancelled() - l.getExpired(),
                l.getReservedAt().stream().map(a -> new LocationQuantity(a.getLocationId(), a.getQuantity())).toList(), l.getRefusalReason());
    }
}
