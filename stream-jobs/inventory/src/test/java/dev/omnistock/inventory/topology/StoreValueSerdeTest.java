package dev.omnistock.inventory.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import dev.omnistock.inventory.alerts.AlertRule;
import dev.omnistock.inventory.ledger.AppliedEvents;
import dev.omnistock.inventory.ledger.InventoryRules;
import dev.omnistock.inventory.ledger.LedgerCommand.Configure;
import dev.omnistock.inventory.ledger.LedgerCommand.Count;
import dev.omnistock.inventory.ledger.LedgerCommand.ExpectInbound;
import dev.omnistock.inventory.ledger.ReservationBook;
import dev.omnistock.inventory.ledger.SkuLedger;
import dev.omnistock.inventory.orders.OrderLineRequest;
import dev.omnistock.inventory.orders.OrderReservation;
import dev.omnistock.inventory.orders.OrderStatus;
import dev.omnistock.inventory.sourcing.Allocation;
import dev.omnistock.inventory.sourcing.SourcingPolicy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class StoreValueSerdeTest {

    private static final InventoryRules RULES = new InventoryRules(
            new SourcingPolicy(List.of("DC-EAST", "DC-WEST"), false), new AlertRule(2), 5, java.time.Duration.ofDays(14));

    /** Counts, settings and expected receipts never touch reservations. */
    private static final ReservationBook UNUSED = new ReservationBook() {
        @Override
        public Optional<List<Allocation>> find(String orderId, String lineId) {
            throw new AssertionError("not used");
        }

        @Override
        public void put(String orderId, String lineId, List<Allocation> allocations) {
            throw new AssertionError("not used");
        }

        @Override
        public void remove(String orderId, String lineId) {
            throw new AssertionError("not used");
        }
    };

    private final Serde<SkuLedger> serde = StoreValueSerde.of(SkuLedger.class);

    @Test
    void aLedgerIsReadBackAsItWasWritten() {
        SkuLedger ledger = new SkuLedger("SKU-1");
        ledger.apply("e1", 1_000, new Count("DC-EAST", 10), RULES, UNUSED, AppliedEvents.NONE);
        ledger.apply("e2", 2_000, new Configure(Optional.of("DC-WEST"), OptionalInt.of(2), OptionalInt.empty()), RULES, UNUSED, AppliedEvents.NONE);
        ledger.apply("e3", 3_000, new Count("DC-WEST", 7), RULES, UNUSED, AppliedEvents.NONE);
        ledger.apply("e4", 4_000, new ExpectInbound("DC-WEST", "PO-1", 6, java.util.OptionalLong.empty()), RULES, UNUSED, AppliedEvents.NONE);

        SkuLedger read = serde.deserializer().deserialize("store", serde.serializer().serialize("store", ledger));

        assertThat(read.position()).isEqualTo(ledger.position());
        assertThat(read.position().network().available()).isEqualTo(10 + 7 - 2);
        assertThat(read.position().network().incoming()).isEqualTo(6);
    }

    @Test
    void aLedgerWrittenAsJsonByAnEarlierVersionIsStillRead() {
        byte[] json = ("{\"sku\":\"SKU-1\",\"locations\":{\"DC-EAST\":{\"onHand\":10,\"committed\":4,\"incoming\":0,"
                + "\"unavailable\":1,\"safetyStock\":null,\"lowStockThreshold\":null,\"lastCountAtMillis\":1000,"
                + "\"expectedInbound\":{}}},\"skuSafetyStock\":2,\"skuLowStockThreshold\":null,"
                + "\"alertLevels\":{\"\":\"IN_STOCK\"},\"stockKnown\":true,\"version\":3}").getBytes(StandardCharsets.UTF_8);

        SkuLedger read = serde.deserializer().deserialize("store", json);

        assertThat(read.position().network().available()).isEqualTo(10 - 4 - 1 - 2);
        assertThat(read.position().version()).isEqualTo(3);
    }

    /** A three-line order placed, answered line by line and shipped: each change repeats its lines' SKUs and ids. */
    private static OrderReservation shippedOrder() {
        List<OrderLineRequest> lines = List.of(new OrderLineRequest("1", "SKU-001037", 1), new OrderLineRequest("2", "SKU-001074", 2),
                new OrderLineRequest("3", "SKU-001111", 1));
        OrderReservation order = OrderReservation.place("ORD-1", "placed-1", "WEB", lines, Optional.empty(), false, false, false,
                new ArrayList<>());
        order.track(null, List.of(), "placed-1", 1_000);
        for (OrderLineRequest line : lines) {
            OrderStatus status = order.trackingStatus();
            List<OrderReservation.LineState> before = order.lineStates();
            order.onLineAnswer(line.lineId(), List.of(new Allocation("DC-EAST", line.quantity())), Optional.empty(), 2_000);
            order.track(status, before, "placed-1/answer/" + line.lineId(), 2_000);
        }
        for (OrderLineRequest line : lines) {
            OrderStatus status = order.trackingStatus();
            List<OrderReservation.LineState> before = order.lineStates();
            order.ship(line.lineId(), 1, 3_000);
            order.track(status, before, "shipped-" + line.lineId(), 3_000);
        }
        return order;
    }

    @Test
    void anOrderIsWrittenWithItsRepeatedStringsOnceAndAnOrderOfTheEarlierEncodingIsStillRead() throws Exception {
        Serde<OrderReservation> orders = StoreValueSerde.of(OrderReservation.class);
        OrderReservation order = shippedOrder();
        // The earlier build's writer: Smile with every string value written out.
        byte[] earlier = new ObjectMapper(new SmileFactory()).setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
                .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY).writeValueAsBytes(order);

        byte[] now = orders.serializer().serialize("store", order);
        OrderReservation readNow = orders.deserializer().deserialize("store", now);
        OrderReservation readEarlier = orders.deserializer().deserialize("store", earlier);

        assertThat(now.length).isLessThan(earlier.length * 9 / 10);
        for (OrderReservation read : List.of(readNow, readEarlier)) {
            assertThat(read.lineStates()).isEqualTo(order.lineStates());
            assertThat(read.timeline()).isEqualTo(order.timeline());
            assertThat(read.trackingStatus()).isEqualTo(order.trackingStatus());
        }
    }
}
