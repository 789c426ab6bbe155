package dev.omnistock.analytics.kafka;

import dev.omnistock.analytics.alerts.AlertRow;
import dev.omnistock.analytics.fulfilment.OrderStatusRow;
import dev.omnistock.analytics.notify.DeliveryAttemptRow;
import dev.omnistock.events.NotificationAttempt;
import dev.omnistock.events.OrderLineStatus;
import dev.omnistock.events.OrderStatusChanged;
import dev.omnistock.analytics.demand.OrderActivity;
import dev.omnistock.analytics.demand.OrderActivityKind;
import dev.omnistock.analytics.demand.OrderActivityLine;
import dev.omnistock.analytics.forecast.LeadTimeSetting;
import dev.omnistock.analytics.forecast.StockoutPrediction;
import dev.omnistock.analytics.timeline.LocationLevel;
import dev.omnistock.analytics.timeline.PositionSnapshot;
import dev.omnistock.events.AlertType;
import dev.omnistock.events.InventoryAlert;
import dev.omnistock.events.InventoryPosition;
import dev.omnistock.events.InventorySettings;
import dev.omnistock.events.LocationPosition;
import dev.omnistock.events.OrderCancelled;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.OrderPlaced;
import dev.omnistock.events.OrderShipped;
import dev.omnistock.events.ReturnReceived;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Between the topics' Avro records and the job's own types. */
public final class AvroMapping {

    private AvroMapping() {
    }

    public static OrderActivity orderActivity(OrderEvent event) {
        String eventId = event.getEventId().toString();
        long at = event.getEventTime().toEpochMilli();
        String channel = event.getChannel().name();
        Object payload = event.getPayload();
        if (payload instanceof OrderPlaced placed) {
            OrderActivityLine[] lines = placed.getLines().stream()
                    .map(l -> new OrderActivityLine(l.getLineId(), l.getSku(), l.getQuantity(), l.getUnitPrice()))
                    .toArray(OrderActivityLine[]::new);
            return new OrderActivity(eventId, event.getOrderId(), at, channel, OrderActivityKind.PLACED,
                    placed.getCurrency(), placed.getRequestedLocationId(), false, lines);
        }
        if (payload instanceof OrderCancelled cancelled) {
            OrderActivityLine[] lines = cancelled.getLines().stream()
                    .map(l -> new OrderActivityLine(l.getLineId(), l.getSku(), l.getQuantity(), null))
                    .toArray(OrderActivityLine[]::new);
            return new OrderActivity(eventId, event.getOrderId(), at, channel, OrderActivityKind.CANCELLED,
                    null, null, cancelled.getWholeOrder(), lines);
        }
        if (payload instanceof OrderShipped shipped) {
            OrderActivityLine[] lines = shipped.getLines().stream()
                    .map(l -> new OrderActivityLine(l.getLineId(), l.getSku(), l.getQuantity(), null))
                    .toArray(OrderActivityLine[]::new);
            return new OrderActivity(eventId, event.getOrderId(), at, channel, OrderActivityKind.SHIPPED,
                    null, shipped.getLocationId(), false, lines);
        }
        if (payload instanceof ReturnReceived returned) {
            OrderActivityLine[] lines = returned.getLines().stream()
                    .map(l -> new OrderActivityLine(l.getLineId(), l.getSku(), l.getQuantity(), null))
                    .toArray(OrderActivityLine[]::new);
            return new OrderActivity(eventId, event.getOrderId(), at, channel, OrderActivityKind.RETURNED,
                    null, returned.getLocationId(), false, lines);
        }
        throw new IllegalArgumentException("Order event " + eventId + " has an unknown payload " + payload.getClass().getName());
    }

    public static PositionSnapshot position(InventoryPosition position) {
        LocationLevel[] levels = new LocationLevel[position.getLocations().size() + 1];
        int i = 0;
        for (LocationPosition location : position.getLocations()) {
            levels[i++] = new LocationLevel(location.getLocationId(), location.getAvailable(), location.getOnHand(),
                    location.getCommitted(), location.getUnavailable());
        }
        levels[i] = new LocationLevel(LocationLevel.NETWORK, position.getAvailable(), position.getOnHand(),
                position.getCommitted(), position.getUnavailable());
        return new PositionSnapshot(position.getSku(), position.getVersion(), position.getUpdatedAt().toEpochMilli(),
                levels, position.getCausedByEventId());
    }

    public static AlertRow alertRow(InventoryAlert alert) {
        return new AlertRow(alert.getAlertId().toString(), alert.getEventTime().toEpochMilli(), alert.getSku(),
                alert.getLocationId() == null ? LocationLevel.NETWORK : alert.getLocationId(), alert.getType().name(),
                alert.getAvailable(), alert.getThreshold(),
                alert.getProjectedStockoutAt() == null ? 0 : alert.getProjectedStockoutAt().toEpochMilli(),
                alert.getCausedByEventId());
    }

    public static OrderStatusRow orderStatus(OrderStatusChanged change) {
        List<OrderLineStatus> lines = change.getChangedLines();
        return new OrderStatusRow(change.getOrderId(), change.getSequence(), change.getChangedAt().toEpochMilli(), change.getChannel().name(),
                change.getPreviousStatus() == null ? "" : change.getPreviousStatus().name(), change.getStatus().name(), change.getCausedBy(),
                lines.stream().mapToInt(OrderLineStatus::getOrdered).sum(), lines.stream().mapToInt(OrderLineStatus::getReserved).sum(),
                lines.stream().mapToInt(OrderLineStatus::getRefused).sum(), lines.stream().mapToInt(OrderLineStatus::getShipped).sum(),
                lines.stream().mapToInt(OrderLineStatus::getCancelled).sum(), lines.stream().mapToInt(OrderLineStatus::getReturned).sum(),
                lines.stream().mapToInt(OrderLineStatus::getExpired).sum(), placement(change));
    }

    /**
     * The placement of a change id orderId/placement/sequence: the placing event's id, which tells apart the orders
     * of an order id placed again after its first order was forgotten. Empty for a change id of another form.
     */
    static String placement(OrderStatusChanged change) {
        String changeId = change.getChangeId();
        String prefix = change.getOrderId() + "/";
        String suffix = "/" + change.getSequence();
        if (changeId.length() < prefix.length() + suffix.length() || !changeId.startsWith(prefix) || !changeId.endsWith(suffix)) {
            return "";
        }
        return changeId.substring(prefix.length(), changeId.length() - suffix.length());
    }

    public static DeliveryAttemptRow deliveryAttempt(NotificationAttempt a) {
        return new DeliveryAttemptRow(a.getDeliveryId(), a.getSubscriptionId(), a.getNoticeId(), a.getKind(), a.getDestinationKind().name(),
                a.getAttempt(), a.getAttemptedAt().toEpochMilli(), a.getStatusCode() == null ? -1 : a.getStatusCode(), a.getLatencyMs(),
                a.getOutcome(), a.getFailure() == null ? "" : a.getFailure(), a.getNextAttemptAt() == null ? 0 : a.getNextAttemptAt().toEpochMilli());
    }

    /** SKU-wide settings only: lead times are not kept per location. Others map to null and are skipped. */
    public static LeadTimeSetting leadTime(InventorySettings settings) {
        if (settings.getLocationId() != null) {
            return null;
        }
        Integer days = settings.getReplenishmentLeadTimeDays();
        return new LeadTimeSetting(settings.getSku(), settings.getEventTime().toEpochMilli(), days == null ? -1 : days);
    }

    public static InventoryAlert alert(StockoutPrediction prediction) {
        // The same prediction always gets the same id, so a replay after a restart is recognisable.
        String identity = "PREDICTED_STOCKOUT/" + prediction.sku() + "/" + prediction.causedByEventId() + "/" + prediction.at();
        return InventoryAlert.newBuilder()
                .setAlertId(UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8)))
                .setEventTime(Instant.ofEpochMilli(prediction.at()))
                .setSku(prediction.sku())
                .setLocationId(null)
                .setType(AlertType.PREDICTED_STOCKOUT)
                .setAvailable(prediction.available())
                .setThreshold(prediction.unitsToCoverLeadTime())
                .setProjectedStockoutAt(Instant.ofEpochMilli(prediction.projectedStockoutAt()))
                .setCausedByEventId(prediction.causedByEventId())
                .build();
    }
}
