package dev.omnistock.inventory.api;

import dev.omnistock.events.OrderLineStatus;
import dev.omnistock.events.OrderStatusChanged;
import dev.omnistock.inventory.orders.OrderReservation;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
                order.timeline().stream().map(change -> new ChangeView(order.changeId(change), change.sequence(),
                        Instant.ofEpochMilli(change.atMillis()).toString(), change.previous() == null ? null : change.previous().name(),
                        change.status().name(), change.causedBy(), change.lines().stream().map(OrderView::line).toList())).toList());
    }

    /**
     * The order as of its last committed change, so that no answer shows a change an abort could take
     * back: the store's order when all its changes have committed, else its lines as that change and the
     * ones before it told them. Empty while not even the placement has committed.
     *
     * @param lastCommitted the last sequence a committed reader of order-status has seen (0 for none)
     * @param settledBefore a change made before this instant has committed (it is still in the store)
     */
    static Optional<OrderView> committed(OrderReservation order, long lastCommitted, long settledBefore) {
        long committed = order.timeline().stream().filter(change -> change.atMillis() < settledBefore)
                .mapToLong(OrderReservation.StatusChange::sequence).reduce(lastCommitted, Math::max);
        OrderView now = from(order);
        List<ChangeView> told = now.timeline().stream().filter(change -> change.sequence() <= committed).toList();
        if (told.size() == now.timeline().size()) {
            return Optional.of(now);
        }
        if (committed == 0) {
            return Optional.empty();
        }
        // Each line as the last committed change that showed it: a change shows the lines it changed, the placement all.
        Map<String, LineView> lines = new HashMap<>();
        told.forEach(change -> change.lines().forEach(line -> lines.put(line.lineId(), line)));
        if (told.isEmpty() || !now.lines().stream().allMatch(line -> lines.containsKey(line.lineId()))) {
            // The kept timeline no longer reaches back to the committed change: many changes wait to commit.
            throw new ProblemException(503, "Not ready", "Order " + order.orderId() + " has changes waiting to commit; retry in a moment");
        }
        return Optional.of(new OrderView(now.orderId(), now.channel(), told.get(told.size() - 1).status(),
                now.lines().stream().map(line -> lines.get(line.lineId())).toList(), told));
    }

    static ChangeView change(OrderStatusChanged c) {
        return new ChangeView(c.getChangeId(), c.getSequence(), c.getChangedAt().toString(),
                c.getPreviousStatus() == null ? null : c.getPreviousStatus().name(), c.getStatus().name(), c.getCausedBy(),
                c.getChangedLines().stream().map(OrderView::line).toList());
    }

    private static LineView line(OrderReservation.LineState l) {
        return new LineView(l.lineId(), l.sku(), l.quantity(), l.reserved() ? l.quantity() : 0, l.unitsRefused(),
                l.shipped(), l.cancelled(), l.returned(), l.expired(), l.unitsOpen(),
                l.allocations().stream().map(a -> new LocationQuantity(a.locationId(), a.quantity())).toList(), l.rejectionReason());
    }

    private static LineView line(OrderLineStatus l) {
        return new LineView(l.getLineId(), l.getSku(), l.getOrdered(), l.getReserved(), l.getRefused(), l.getShipped(), l.getCancelled(),
                l.getReturned(), l.getExpired(), l.getRefused() > 0 ? 0 : l.getOrdered() - l.getShipped() - l.getCancelled() - l.getExpired(),
                l.getReservedAt().stream().map(a -> new LocationQuantity(a.getLocationId(), a.getQuantity())).toList(), l.getRefusalReason());
    }
}
