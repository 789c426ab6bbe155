package dev.omnistock.analytics.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnistock.analytics.fulfilment.OrderStatusRow;
import dev.omnistock.events.Channel;
import dev.omnistock.events.OrderLineStatus;
import dev.omnistock.events.OrderStatus;
import dev.omnistock.events.OrderStatusChanged;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AvroMappingTest {

    @Test
    void theRowOfAStatusChangeCarriesItsPlacementTheMiddleOfItsChangeId() {
        assertThat(AvroMapping.orderStatus(change("o1", "o1/evt-9/2", 2)).placement()).isEqualTo("evt-9");
        // Ids may hold the separator: the order id is cut off the front and the sequence off the back.
        assertThat(AvroMapping.orderStatus(change("a/b", "a/b/x/y/12", 12)).placement()).isEqualTo("x/y");
    }

    @Test
    void aChangeIdWithoutAPlacementGivesTheEmptyPlacementOfTheOlderRows() {
        assertThat(AvroMapping.orderStatus(change("o1", "o1/2", 2)).placement()).isEmpty();
    }

    @Test
    void aRowRestoredFromAnOlderBuildsCheckpointHasTheEmptyPlacement() {
        // Java serialization of a record without the component passes null to the canonical constructor.
        assertThat(new OrderStatusRow("o1", 1, 0, "WEB", "", "PLACED", "e1", 1, 0, 0, 0, 0, 0, 0, null).placement()).isEmpty();
    }

    private static OrderStatusChanged change(String orderId, String changeId, long sequence) {
        return OrderStatusChanged.newBuilder().setChangeId(changeId).setOrderId(orderId).setSequence(sequence)
                .setChangedAt(Instant.parse("2026-11-23T10:00:00Z")).setChannel(Channel.WEB).setPreviousStatus(OrderStatus.PLACED)
                .setStatus(OrderStatus.ACCEPTED).setCausedBy("evt-9")
                .setChangedLines(List.of(OrderLineStatus.newBuilder().setLineId("1").setSku("SKU-A").setOrdered(1).setReserved(1)
                        .setRefused(0).setShipped(0).setCancelled(0).setReturned(0).setExpired(0).setReservedAt(List.of()).build()))
                .build();
    }
}
