package dev.omnistock.analytics.it;

import dev.omnistock.events.CancelledLine;
import dev.omnistock.events.Channel;
import dev.omnistock.events.FulfillmentMethod;
import dev.omnistock.events.OrderCancelled;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.OrderLine;
import dev.omnistock.events.OrderPlaced;
import dev.omnistock.events.OrderShipped;
import dev.omnistock.events.ShippedLine;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Canonical order events for the integration tests, with ids derived from their content. */
final class Orders {

    private Orders() {
    }

    private static OrderEvent.Builder event(String orderId, String what, Instant at, Channel channel) {
        return OrderEvent.newBuilder()
                .setEventId(UUID.nameUUIDFromBytes((orderId + "/" + what).getBytes(StandardCharsets.UTF_8)))
                .setEventTime(at).setChannel(channel).setSourceSystem("analytics-it").setOrderId(orderId);
    }

    static OrderEvent placed(String orderId, Instant at, Channel channel, String sku, int quantity, String unitPrice) {
        return event(orderId, "placed", at, channel).setPayload(OrderPlaced.newBuilder()
                .setCurrency("EUR").setFulfillmentMethod(FulfillmentMethod.SHIP_TO_HOME)
                .setLines(List.of(OrderLine.newBuilder().setLineId("1").setSku(sku).setQuantity(quantity)
                        .setUnitPrice(new BigDecimal(unitPrice)).build()))
                .build()).build();
    }

    static OrderEvent cancelledWhole(String orderId, Instant at, Channel channel) {
        return event(orderId, "cancelled", at, channel).setPayload(OrderCancelled.newBuilder()
                .setWholeOrder(true).setLines(List.<CancelledLine>of()).build()).build();
    }

    static OrderEvent shipped(String orderId, Instant at, String sku, int quantity, String location) {
        return event(orderId, "shipped", at, Channel.WAREHOUSE).setPayload(OrderShipped.newBuilder()
                .setShipmentId("s-" + orderId).setLocationId(location)
                .setLines(List.of(ShippedLine.newBuilder().setLineId("1").setSku(sku).setQuantity(quantity).build()))
                .build()).build();
    }
}
