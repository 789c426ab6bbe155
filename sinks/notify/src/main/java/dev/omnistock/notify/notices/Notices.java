package dev.omnistock.notify.notices;

import dev.omnistock.events.AlertType;
import dev.omnistock.events.InventoryAlert;
import dev.omnistock.events.OrderLineStatus;
import dev.omnistock.events.OrderStatus;
import dev.omnistock.events.OrderStatusChanged;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** Turns the records the notifier reads into notices, and names every kind of notice. */
public final class Notices {

    public static final String ALERT_PREFIX = "inventory.alert.";
    public static final String ORDER_PREFIX = "order.status.";
    /** Told when the notifier disables a subscription whose endpoint kept failing. */
    public static final String SUBSCRIPTION_DISABLED = "notify.subscription.disabled";

    /** Every kind a subscription may ask for. */
    public static final List<String> KINDS = Stream.concat(Stream.concat(
                    Arrays.stream(AlertType.values()).filter(t -> t != AlertType.UNKNOWN).map(t -> ALERT_PREFIX + lower(t.name())),
                    Arrays.stream(OrderStatus.values()).filter(s -> s != OrderStatus.UNKNOWN).map(s -> ORDER_PREFIX + lower(s.name()))),
            Stream.of(SUBSCRIPTION_DISABLED)).toList();

    private Notices() {
    }

    public static Notice of(InventoryAlert alert) {
        String location = alert.getLocationId();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("alertId", alert.getAlertId().toString());
        data.put("type", alert.getType().name());
        data.put("sku", alert.getSku());
        data.put("locationId", location);
        data.put("available", alert.getAvailable());
        data.put("threshold", alert.getThreshold());
        data.put("eventTime", alert.getEventTime().toString());
        if (alert.getProjectedStockoutAt() != null) {
            data.put("projectedStockoutAt", alert.getProjectedStockoutAt().toString());
        }
        data.put("causedByEventId", alert.getCausedByEventId());
        String where = location == null ? "across all locations" : "at " + location;
        return new Notice(alert.getAlertId().toString(), ALERT_PREFIX + lower(alert.getType().name()), alert.getEventTime(),
                List.of(alert.getSku()), location == null ? List.of() : List.of(location), null,
                alert.getType().name().replace('_', ' ') + ": " + alert.getSku() + " " + where + ", " + alert.getAvailable() + " available",
                data);
    }

    public static Notice of(OrderStatusChanged change) {
        List<String> skus = change.getChangedLines().stream().map(OrderLineStatus::getSku).distinct().toList();
        List<String> locations = change.getChangedLines().stream().flatMap(l -> l.getReservedAt().stream())
                .map(a -> a.getLocationId()).distinct().toList();
        List<Map<String, Object>> lines = new ArrayList<>();
        for (OrderLineStatus l : change.getChangedLines()) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("lineId", l.getLineId());
            line.put("sku", l.getSku());
            line.put("ordered", l.getOrdered());
            line.put("reserved", l.getReserved());
            line.put("refused", l.getRefused());
            line.put("shipped", l.getShipped());
            line.put("cancelled", l.getCancelled());
            line.put("returned", l.getReturned());
            line.put("expired", l.getExpired());
            lines.add(line);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("changeId", change.getChangeId());
        data.put("orderId", change.getOrderId());
        data.put("sequence", change.getSequence());
        data.put("previousStatus", change.getPreviousStatus() == null ? null : change.getPreviousStatus().name());
        data.put("status", change.getStatus().name());
        data.put("channel", change.getChannel().name());
        data.put("changedAt", change.getChangedAt().toString());
        data.put("changedLines", lines);
        return new Notice(change.getChangeId(), ORDER_PREFIX + lower(change.getStatus().name()), change.getChangedAt(), skus, locations,
                change.getChannel().name(), "Order " + change.getOrderId() + " is " + lower(change.getStatus().name()).replace('_', ' '), data);
    }

    /** A kind a subscription may name: one of {@link #KINDS}, or a prefix of some ending in ".*" (order.status.*). */
    public static boolean isKnownKindPattern(String pattern) {
        if (pattern.endsWith(".*")) {
            String prefix = pattern.substring(0, pattern.length() - 1);
            return KINDS.stream().anyMatch(kind -> kind.startsWith(prefix));
        }
        return KINDS.contains(pattern);
    }

    public static boolean kindMatches(String pattern, String kind) {
        return pattern.endsWith(".*") ? kind.startsWith(pattern.substring(0, pattern.length() - 1)) : pattern.equals(kind);
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
