package dev.omnistock.testdata;

import dev.omnistock.events.Channel;
import dev.omnistock.events.FulfillmentMethod;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.OrderLine;
import dev.omnistock.events.OrderPlaced;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Canonical events as a channel would send them. */
public final class SampleEvents {

    private SampleEvents() {
    }

    public static OrderEvent orderPlaced(String orderId) {
        return OrderEvent.newBuilder()
                .setEventId(UUID.randomUUID())
                .setEventTime(Instant.parse("2026-11-23T09:15:30.123Z"))
                .setChannel(Channel.MARKETPLACE)
                .setSourceSystem("marketplace-connector")
                .setOrderId(orderId)
                .setPayload(OrderPlaced.newBuilder()
                        .setCustomerId("C-1042")
                        .setCurrency("EUR")
                        .setFulfillmentMethod(FulfillmentMethod.PICKUP_IN_STORE)
                        .setRequestedLocationId("STORE-BERLIN-01")
                        .setLines(List.of(
                                new OrderLine("1", "SKU-TSHIRT-M-BLUE", 2, new BigDecimal("19.9900")),
                                new OrderLine("2", "SKU-MUG-WHITE", 1, new BigDecimal("7.5000"))))
                        .build())
                .build();
    }
}
