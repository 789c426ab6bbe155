package dev.omnistock.inventory.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnistock.inventory.orders.OrderLineRequest;
import dev.omnistock.inventory.orders.OrderReservation;
import dev.omnistock.inventory.sourcing.Allocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class StoreValueSerdeRoundTripTest {

    @Test
    void anOrderKeepsItsSequenceAndTimeline() {
        OrderReservation order = OrderReservation.place("O-1", "evt-1", "WEB", List.of(new OrderLineRequest("1", "SKU-A", 2)),
                Optional.empty(), false, false, false, new ArrayList<>());
        order.track(null, List.of(), "evt-1", 1_000);
        Serde<OrderReservation> serde = StoreValueSerde.of(OrderReservation.class);
        OrderReservation read = serde.deserializer().deserialize("", serde.serializer().serialize("", order));
        assertThat(read.timeline()).hasSize(1);
        read.onLineAnswer("1", List.of(new Allocation("DC", 2)), Optional.empty(), 2_000);
        assertThat(read.track(dev.omnistock.inventory.orders.OrderStatus.PLACED, order.lineStates(), "a", 2_000).orElseThrow().sequence())
                .isEqualTo(2);
    }
}
