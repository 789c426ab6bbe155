package dev.omnistock.analytics.demand;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderHistoryTest {

    private static final long T = 1_700_000_000_000L;

    static OrderActivity placed(String eventId, String orderId, String location, OrderActivityLine... lines) {
        return new OrderActivity(eventId, orderId, T, "WEB", OrderActivityKind.PLACED, "EUR", location, false, lines);
    }

    static OrderActivityLine line(String lineId, String sku, int quantity, String price) {
        return new OrderActivityLine(lineId, sku, quantity, price == null ? null : new BigDecimal(price));
    }

    private static OrderActivity event(String eventId, OrderActivityKind kind, String location, boolean whole, OrderActivityLine... lines) {
        return new OrderActivity(eventId, "o1", T + 60_000, "WAREHOUSE", kind, null, location, whole, lines);
    }

    @Test
    void aPlacedOrderCountsUnitsRevenueAndOneOrderPerSku() {
        List<DemandFact> facts = OrderHistory.UNSEEN.apply(placed("e1", "o1", null,
                line("1", "SKU-A", 2, "10.0000"), line("2", "SKU-A", 1, "12.5000"), line("3", "SKU-B", 3, "1.0000"))).facts();

        assertThat(facts).extracting(DemandFact::sku, DemandFact::unitsOrdered, DemandFact::orders, DemandFact::revenue)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("SKU-A", 2L, 1L, new BigDecimal("20.0000")),
                        org.assertj.core.groups.Tuple.tuple("SKU-A", 1L, 0L, new BigDecimal("12.5000")),
                        org.assertj.core.groups.Tuple.tuple("SKU-B", 3L, 1L, new BigDecimal("3.0000")));
        assertThat(facts).allSatisfy(f -> {
            assertThat(f.locationId()).isEqualTo(DemandFact.UNASSIGNED);
            assertThat(f.channel()).isEqualTo("WEB");
            assertThat(f.currency()).isEqualTo("EUR");
        });
    }

    @Test
    void aWholeOrderCancelCountsOnlyTheUnitsStillOpenUnderTheOrdersChannelAndLocation() {
        OrderHistory history = OrderHistory.UNSEEN.apply(placed("e1", "o1", "STORE-1",
                line("1", "SKU-A", 5, "1.0000"), line("2", "SKU-B", 2, "1.0000"))).history();
        history = history.apply(event("e2", OrderActivityKind.SHIPPED, "STORE-1", false, line("1", "SKU-A", 3, null))).history();

        List<DemandFact> facts = history.apply(event("e3", OrderActivityKind.CANCELLED, null, true)).facts();

        assertThat(facts).extracting(DemandFact::sku, DemandFact::unitsCancelled)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("SKU-A", 2L), org.assertj.core.groups.Tuple.tuple("SKU-B", 2L));
        assertThat(facts).allSatisfy(f -> {
            assertThat(f.channel()).isEqualTo("WEB");
            assertThat(f.locationId()).isEqualTo("STORE-1");
            assertThat(f.currency()).isEqualTo("EUR");
        });
    }

    @Test
    void aLineCannotBeCancelledTwice() {
        OrderHistory history = OrderHistory.UNSEEN.apply(placed("e1", "o1", null, line("1", "SKU-A", 2, "1.0000"))).history();
        history = history.apply(event("e2", OrderActivityKind.CANCELLED, null, false, line("1", "SKU-A", 2, null))).history();

        assertThat(history.apply(event("e3", OrderActivityKind.CANCELLED, null, false, line("1", "SKU-A", 2, null))).facts()).isEmpty();
        assertThat(history.apply(event("e4", OrderActivityKind.CANCELLED, null, true)).facts()).isEmpty();
    }

    @Test
    void shipmentsAndReturnsCountWhereTheGoodsMoved() {
        OrderHistory history = OrderHistory.UNSEEN.apply(placed("e1", "o1", null, line("1", "SKU-A", 2, "1.0000"))).history();

        DemandFact shipped = history.apply(event("e2", OrderActivityKind.SHIPPED, "DC-1", false, line("1", "SKU-A", 2, null))).facts().get(0);
        DemandFact returned = history.apply(event("e3", OrderActivityKind.RETURNED, "STORE-9", false, line("1", "SKU-A", 1, null))).facts().get(0);

        assertThat(shipped.locationId()).isEqualTo("DC-1");
        assertThat(shipped.unitsShipped()).isEqualTo(2);
        assertThat(returned.locationId()).isEqualTo("STORE-9");
        assertThat(returned.unitsReturned()).isEqualTo(1);
        assertThat(returned.channel()).isEqualTo("WEB");
    }

    @Test
    void anEventCountedBeforeCountsNothingAgain() {
        OrderActivity placed = placed("e1", "o1", null, line("1", "SKU-A", 2, "1.0000"));
        OrderHistory history = OrderHistory.UNSEEN.apply(placed).history();
        OrderActivity shipped = event("e2", OrderActivityKind.SHIPPED, "DC-1", false, line("1", "SKU-A", 2, null));
        history = history.apply(shipped).history();

        assertThat(history.apply(placed).facts()).isEmpty();
        assertThat(history.apply(shipped).facts()).isEmpty();
    }

    @Test
    void eventsOfAnOrderNeverSeenPlacedStillCountWithoutCurrency() {
        List<DemandFact> facts = OrderHistory.UNSEEN.apply(event("e9", OrderActivityKind.CANCELLED, null, false,
                line("1", "SKU-A", 4, null))).facts();

        assertThat(facts).singleElement().satisfies(f -> {
            assertThat(f.unitsCancelled()).isEqualTo(4);
            assertThat(f.channel()).isEqualTo("WAREHOUSE");
            assertThat(f.currency()).isEqualTo(DemandFact.NO_CURRENCY);
            assertThat(f.locationId()).isEqualTo(DemandFact.UNASSIGNED);
        });
    }

    @Test
    void factIdsAreTheSameForTheSameEvent() {
        OrderActivity placed = placed("e1", "o1", null, line("1", "SKU-A", 2, "1.0000"));
        assertThat(OrderHistory.UNSEEN.apply(placed).facts()).extracting(DemandFact::factId)
                .isEqualTo(OrderHistory.UNSEEN.apply(placed).facts().stream().map(DemandFact::factId).toList())
                .containsExactly("e1/1");
    }
}
