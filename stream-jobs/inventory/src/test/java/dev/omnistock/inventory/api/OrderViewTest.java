package dev.omnistock.inventory.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnistock.inventory.orders.OrderLineRequest;
import dev.omnistock.inventory.orders.OrderReservation;
import dev.omnistock.inventory.orders.OrderStatus;
import dev.omnistock.inventory.sourcing.Allocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An order as of its last committed change, when later changes still wait for their commit. */
class OrderViewTest {

    private static final long PLACED_AT = 1_000;
    private static final long ACCEPTED_AT = 2_000;
    private static final long FIRST_SHIPMENT_AT = 3_000;
    private static final long SECOND_SHIPMENT_AT = 4_000;

    /** Placed (1), accepted (2), one unit of line 1 shipped (3: a new status, every line), another (4: line 1 only). */
    private static OrderReservation shippedTwice() {
        OrderReservation order = OrderReservation.place("O-1", "evt-1", "WEB",
                List.of(new OrderLineRequest("1", "SKU-A", 3), new OrderLineRequest("2", "SKU-B", 1)),
                Optional.empty(), false, false, false, new ArrayList<>());
        order.track(null, List.of(), "evt-1", PLACED_AT);
        change(order, "answers", ACCEPTED_AT, () -> {
            order.onLineAnswer("1", List.of(new Allocation("DC", 3)), Optional.empty(), ACCEPTED_AT);
            order.onLineAnswer("2", List.of(new Allocation("DC", 1)), Optional.empty(), ACCEPTED_AT);
        });
        change(order, "ship-1", FIRST_SHIPMENT_AT, () -> order.ship("1", 1, FIRST_SHIPMENT_AT));
        change(order, "ship-2", SECOND_SHIPMENT_AT, () -> order.ship("1", 1, SECOND_SHIPMENT_AT));
        assertThat(order.timeline()).extracting(OrderReservation.StatusChange::status).containsExactly(
                OrderStatus.PLACED, OrderStatus.ACCEPTED, OrderStatus.PARTIALLY_SHIPPED, OrderStatus.PARTIALLY_SHIPPED);
        return order;
    }

    private static void change(OrderReservation order, String causedBy, long at, Runnable input) {
        OrderStatus before = order.trackingStatus();
        List<OrderReservation.LineState> linesBefore = order.lineStates();
        input.run();
        order.track(before, linesBefore, causedBy, at);
    }

    @Test
    void aRefusedLineCountsAsRefusedOnlyTheUnitsLeftWhenItWasRefused() {
        OrderReservation order = OrderReservation.place("O-2", "evt-1", "WEB", List.of(new OrderLineRequest("1", "SKU-A", 3)),
                Optional.empty(), false, false, false, new ArrayList<>());
        order.track(null, List.of(), "evt-1", PLACED_AT);
        change(order, "cancel-1", ACCEPTED_AT, () -> order.cancel(List.of("1"), java.util.Map.of("1", 1), ACCEPTED_AT));
        change(order, "answer", FIRST_SHIPMENT_AT, () -> order.onLineAnswer("1", List.of(), Optional.of("no stock"), FIRST_SHIPMENT_AT));

        assertThat(OrderView.from(order).lines()).extracting(OrderView.LineView::ordered, OrderView.LineView::cancelled,
                OrderView.LineView::refused, OrderView.LineView::open).containsExactly(org.assertj.core.groups.Tuple.tuple(3, 1, 2, 0));
        // The order-status topic's line (and so the feed and a cut-back answer) says the same.
        assertThat(order.timeline().get(order.timeline().size() - 1).lines()).extracting(OrderReservation.LineState::unitsRefused)
                .containsExactly(2);
    }

    @Test
    void anOrderWhoseChangesAllCommittedIsShownAsTheStoreHasIt() {
        OrderReservation order = shippedTwice();
        assertThat(OrderView.committed(order, 4, 0)).hasValue(OrderView.from(order));
    }

    @Test
    void changesNotCommittedYetAreLeftOut() {
        OrderView view = OrderView.committed(shippedTwice(), 2, 0).orElseThrow();

        assertThat(view.status()).isEqualTo("ACCEPTED");
        assertThat(view.timeline()).extracting(OrderView.ChangeView::sequence).containsExactly(1L, 2L);
        assertThat(view.lines()).extracting(OrderView.LineView::lineId, OrderView.LineView::reserved, OrderView.LineView::shipped,
                OrderView.LineView::open).containsExactly(org.assertj.core.groups.Tuple.tuple("1", 3, 0, 3),
                org.assertj.core.groups.Tuple.tuple("2", 1, 0, 1));
    }

    @Test
    void aLineIsShownAsTheLastCommittedChangeThatShowedIt() {
        OrderView view = OrderView.committed(shippedTwice(), 3, 0).orElseThrow();

        assertThat(view.status()).isEqualTo("PARTIALLY_SHIPPED");
        assertThat(view.timeline()).extracting(OrderView.ChangeView::sequence).containsExactly(1L, 2L, 3L);
        assertThat(view.lines()).extracting(OrderView.LineView::lineId, OrderView.LineView::shipped)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("1", 1), org.assertj.core.groups.Tuple.tuple("2", 0));
    }

    @Test
    void anOrderWhosePlacementHasNotCommittedIsNotShown() {
        assertThat(OrderView.committed(shippedTwice(), 0, 0)).isEmpty();
    }

    @Test
    void changesOlderThanTheCommittedReaderKeepsHaveCommitted() {
        OrderView view = OrderView.committed(shippedTwice(), 0, FIRST_SHIPMENT_AT).orElseThrow();

        assertThat(view.timeline()).extracting(OrderView.ChangeView::sequence).containsExactly(1L, 2L);
    }
}
