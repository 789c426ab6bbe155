package dev.omnistock.notify.notices;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Something to tell people: an inventory alert or an order's status change, in the terms subscriptions
 * filter on and receivers read.
 *
 * @param id         the alert's or the status change's stable id: every attempt, every retry and every
 *                   destination carries it, so that receivers can drop duplicates
 * @param kind       e.g. inventory.alert.low_stock, order.status.shipped ({@link Notices#KINDS})
 * @param skus       the SKUs it concerns (an alert's one, the changed lines' of an order)
 * @param locations  the locations it concerns (empty for a network-wide alert)
 * @param channel    the order's sales channel; null for alerts
 * @param summary    one line for people (Slack, e-mail subject)
 * @param data       the event's content, as the webhook's {@code data}
 */
public record Notice(String id, String kind, Instant occurredAt, List<String> skus, List<String> locations, String channel,
                     String summary, Map<String, Object> data) {

    /** The order an order status notice is about; empty for anything else. */
    public Optional<String> orderId() {
        return kind.startsWith(Notices.ORDER_PREFIX) && data != null && data.get("orderId") != null
                ? Optional.of(data.get("orderId").toString()) : Optional.empty();
    }

    /** The order's change number (from 1), which orders its notices; 0 for anything else. */
    public long sequence() {
        return orderId().isPresent() && data.get("sequence") instanceof Number n ? n.longValue() : 0;
    }
}
