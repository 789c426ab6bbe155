package dev.omnistock.inventory.topology;

import dev.omnistock.events.AdjustmentReason;
import dev.omnistock.events.CancelledLine;
import dev.omnistock.events.Channel;
import dev.omnistock.events.CountType;
import dev.omnistock.events.FulfillmentMethod;
import dev.omnistock.events.InventorySettings;
import dev.omnistock.events.OrderCancelled;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.OrderLine;
import dev.omnistock.events.OrderPlaced;
import dev.omnistock.events.OrderShipped;
import dev.omnistock.events.ReturnReceived;
import dev.omnistock.events.ReturnedLine;
import dev.omnistock.events.ShippedLine;
import dev.omnistock.events.StockAdjusted;
import dev.omnistock.events.StockCounted;
import dev.omnistock.events.StockEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** Canonical events for inventory tests. */
public final class InventoryEvents {

    private static long clock = Instant.parse("2026-11-23T08:00:00Z").toEpochMilli();

    private InventoryEvents() {
    }

    private static Instant tick() {
        return Instant.ofEpochMilli(clock += 1_000);
    }

    public static StockEvent count(String sku, String location, int onHand) {
        return stock(sku, location, new StockCounted(onHand, CountType.WMS_SNAPSHOT));
    }

    public static StockEvent adjust(String sku, String location, int delta, AdjustmentReason reason) {
        return stock(sku, location, new StockAdjusted(delta, reason, null));
    }

    public static StockEvent stock(String sku, String location, Object payload) {
        return StockEvent.newBuilder().setEventId(UUID.randomUUID()).setEventTime(tick()).setChannel(Channel.WAREHOUSE)
                .setSourceSystem("wms").setSku(sku).setLocationId(location).setPayload(payload).build();
    }

    /** lines as "sku:quantity". */
    public static OrderEvent placed(String orderId, Channel channel, String... lines) {
        List<OrderLine> orderLines = Arrays.stream(lines).map(spec -> spec.split(":"))
                .map(p -> new OrderLine(p[0], p[0], Integer.parseInt(p[1]), new BigDecimal("9.9900"))).toList();
        // Line ids are the SKUs: cancels, shipments and returns refer to them.
        return order(orderId, channel, OrderPlaced.newBuilder().setCurrency("EUR").setLines(orderLines)
                .setFulfillmentMethod(FulfillmentMethod.SHIP_TO_HOME).build());
    }

    /** An order the customer collects at {@code store}; lines as "sku:quantity". */
    public static OrderEvent pickup(String orderId, String store, String... lines) {
        List<OrderLine> orderLines = Arrays.stream(lines).map(spec -> spec.split(":"))
                .map(p -> new OrderLine(p[0], p[0], Integer.parseInt(p[1]), new BigDecimal("9.9900"))).toList();
        return order(orderId, Channel.WEB, OrderPlaced.newBuilder().setCurrency("EUR").setLines(orderLines)
                .setFulfillmentMethod(FulfillmentMethod.PICKUP_IN_STORE).setRequestedLocationId(store).build());
    }

    public static OrderEvent cancelWhole(String orderId) {
        return order(orderId, Channel.WEB, new OrderCancelled(true, List.of(), "customer changed their mind"));
    }

    public static OrderEvent cancelLine(String orderId, String sku, int quantity) {
        return order(orderId, Channel.WEB, new OrderCancelled(false, List.of(new CancelledLine(sku, sku, quantity)), null));
    }

    public static OrderEvent shipped(String orderId, String location, String sku, int quantity) {
        return order(orderId, Channel.WEB, new OrderShipped("SH-" + orderId, location,
                List.of(new ShippedLine(sku, sku, quantity)), "DHL", null));
    }

    public static OrderEvent returned(String orderId, String location, String sku, int quantity, boolean resellable) {
        return order(orderId, Channel.WEB, new ReturnReceived("R-" + orderId, location,
                List.of(new ReturnedLine(sku, sku, quantity, resellable, null))));
    }

    public static OrderEvent order(String orderId, Channel channel, Object payload) {
        return OrderEvent.newBuilder().setEventId(UUID.randomUUID()).setEventTime(tick()).setChannel(channel)
                .setSourceSystem("test").setOrderId(orderId).setPayload(payload).build();
    }

    public static InventorySettings threshold(String sku, int lowStockThreshold) {
        return InventorySettings.newBuilder().setEventId(UUID.randomUUID()).setEventTime(tick()).setChannel(Channel.UNKNOWN)
                .setSourceSystem("planning").setSku(sku).setLowStockThreshold(lowStockThreshold).build();
    }
}
