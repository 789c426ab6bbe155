package dev.omnistock.analytics.it;

import dev.omnistock.events.AlertType;
import dev.omnistock.events.Channel;
import dev.omnistock.events.DestinationKind;
import dev.omnistock.events.NotificationAttempt;
import dev.omnistock.events.OrderLineStatus;
import dev.omnistock.events.OrderStatus;
import dev.omnistock.events.OrderStatusChanged;
import dev.omnistock.events.InventoryAlert;
import dev.omnistock.events.InventoryPosition;
import dev.omnistock.events.InventorySettings;
import dev.omnistock.events.LocationPosition;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Inventory records and demand totals for the integration tests. */
final class Figures {

    private Figures() {
    }

    static final String DEMAND_TOTALS = """
            SELECT sum(units_ordered), sum(orders), sum(revenue), sum(units_cancelled), sum(units_shipped), sum(units_returned)
            FROM %s FINAL""";

    /** ordered, orders, revenue, cancelled, shipped, returned, as the DEMAND_TOTALS query gives them. */
    static List<String> totals(long ordered, long orders, String revenue, long cancelled, long shipped, long returned) {
        return normalized(List.of(Long.toString(ordered), Long.toString(orders), revenue, Long.toString(cancelled),
                Long.toString(shipped), Long.toString(returned)));
    }

    /** Numbers compared by value: 55, 55.0 and 55.0000 are the same figure. */
    static List<String> normalized(List<String> row) {
        return row.stream().map(v -> v == null ? "0" : new BigDecimal(v).stripTrailingZeros().toPlainString()).toList();
    }

    /** An order placed at {@code at}, accepted a minute later, its 3 units shipped two minutes after that. */
    static List<OrderStatusChanged> statusChanges(String orderId, Instant at) {
        return List.of(
                statusChange(orderId, 1, at, null, OrderStatus.PLACED, 0, 0),
                statusChange(orderId, 2, at.plusSeconds(60), OrderStatus.PLACED, OrderStatus.ACCEPTED, 3, 0),
                statusChange(orderId, 3, at.plusSeconds(180), OrderStatus.ACCEPTED, OrderStatus.SHIPPED, 3, 3));
    }

    /** The id of the event that placed the order: the placement's caused_by, and the middle of every change id. */
    static final String PLACEMENT = "evt-1";

    private static OrderStatusChanged statusChange(String orderId, long sequence, Instant at, OrderStatus previous, OrderStatus status,
                                                   int reserved, int shipped) {
        return OrderStatusChanged.newBuilder().setChangeId(orderId + "/" + PLACEMENT + "/" + sequence).setOrderId(orderId).setSequence(sequence)
                .setChangedAt(at).setChannel(Channel.WEB).setPreviousStatus(previous).setStatus(status).setCausedBy("evt-" + sequence)
                .setChangedLines(List.of(OrderLineStatus.newBuilder().setLineId("1").setSku("SKU-A").setOrdered(3).setReserved(reserved)
                        .setRefused(0).setShipped(shipped).setCancelled(0).setReturned(0).setExpired(0).setReservedAt(List.of()).build()))
                .build();
    }

    static NotificationAttempt attempt(String deliveryId, int number, int status, Instant at) {
        return NotificationAttempt.newBuilder().setDeliveryId(deliveryId).setSubscriptionId("s1").setNoticeId("a1")
                .setKind("inventory.alert.out_of_stock").setDestinationKind(DestinationKind.WEBHOOK).setAttempt(number).setAttemptedAt(at)
                .setStatusCode(status).setLatencyMs(15).setOutcome(status == 200 ? "DELIVERED" : "RETRYING").build();
    }

    static InventoryPosition position(String sku, long version, Instant at, int store, int dc) {
        return InventoryPosition.newBuilder()
                .setSku(sku)
                .setLocations(List.of(location("STORE-1", store), location("DC-1", dc)))
                .setOnHand(store + dc).setCommitted(0).setIncoming(0).setUnavailable(0).setSafetyStock(0).setAvailable(store + dc)
                .setUpdatedAt(at).setVersion(version).setCausedByEventId("count-" + version)
                .build();
    }

    private static LocationPosition location(String id, int available) {
        return LocationPosition.newBuilder().setLocationId(id).setOnHand(available).setCommitted(0).setIncoming(0)
                .setUnavailable(0).setSafetyStock(0).setAvailable(available).build();
    }

    static InventoryAlert outOfStock(String sku, String location, Instant at) {
        return InventoryAlert.newBuilder()
                .setAlertId(UUID.nameUUIDFromBytes((sku + location + at).getBytes(StandardCharsets.UTF_8)))
                .setEventTime(at).setSku(sku).setLocationId(location).setType(AlertType.OUT_OF_STOCK)
                .setAvailable(0).setThreshold(2).build();
    }

    static InventorySettings leadTime(String sku, Instant at, int days) {
        return InventorySettings.newBuilder()
                .setEventId(UUID.nameUUIDFromBytes(("lead/" + sku + days).getBytes(StandardCharsets.UTF_8)))
                .setEventTime(at).setChannel(Channel.WAREHOUSE).setSourceSystem("analytics-it").setSku(sku)
                .setReplenishmentLeadTimeDays(days).build();
    }
}
