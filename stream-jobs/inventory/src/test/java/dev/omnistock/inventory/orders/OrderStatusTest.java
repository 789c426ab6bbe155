package dev.omnistock.inventory.orders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnistock.inventory.sourcing.Allocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OrderStatusTest {

    private static final long NOW = 1_000_000L;

    /** Line 1: 3 units of SKU-A; line 2: 2 units of SKU-B. */
    private static OrderReservation place(boolean partialAllowed) {
        return OrderReservation.place("O-1", "evt-1", "WEB",
                List.of(new OrderLineRequest("1", "SKU-A", 3), new OrderLineRequest("2", "SKU-B", 2)),
                Optional.empty(), false, false, partialAllowed, new ArrayList<>());
    }

    private static void reserveBoth(OrderReservation order) {
        order.onLineAnswer("1", List.of(new Allocation("DC-1", 3)), Optional.empty(), NOW);
        order.onLineAnswer("2", List.of(new Allocation("STORE-1", 2)), Optional.empty(), NOW);
    }

    @Test
    void anOrderFollowedThroughPlacePartialShipCancelAndReturn() {
        OrderReservation order = place(false);
        assertThat(order.trackingStatus()).isEqualTo(OrderStatus.PLACED);
        order.onLineAnswer("1", List.of(new Allocation("DC-1", 3)), Optional.empty(), NOW);
        assertThat(order.trackingStatus()).as("one line still waits").isEqualTo(OrderStatus.PLACED);
        order.onLineAnswer("2", List.of(new Allocation("STORE-1", 2)), Optional.empty(), NOW);
        assertThat(order.trackingStatus()).isEqualTo(OrderStatus.ACCEPTED);

        order.ship("1", 2, NOW);
        assertThat(order.trackingStatus()).isEqualTo(OrderStatus.PARTIALLY_SHIPPED);
        order.cancel(List.of(), Map.of(), NOW);
        assertThat(order.trackingStatus()).as("2 shipped, the other 3 cancelled").isEqualTo(OrderStatus.PARTIALLY_CANCELLED);
        assertThat(order.returned("1", 1, NOW)).isTrue();
        assertThat(order.trackingStatus()).isEqualTo(OrderStatus.PARTIALLY_RETURNED);
        assertThat(order.returned("1", 5, NOW)).as("counted up to what shipped").isTrue();
        assertThat(order.lineStates().get(0).returned()).isEqualTo(2);
        assertThat(order.trackingStatus()).isEqualTo(OrderStatus.RETURNED);
        assertThat(order.returned("1", 1, NOW)).as("nothing more to come back").isFalse();
    }

    @Test
    void everythingShippedIsShipped() {
        OrderReservation order = place(false);
        reserveBoth(order);
        order.ship("1", 3, NOW);
        order.ship("2", 2, NOW);
        assertThat(order.trackingStatus()).isEqualTo(OrderStatus.SHIPPED);
    }

    @Test
    void aCancelBeforeTheAnswersCancelsTheOrder() {
        OrderReservation order = place(false);
        order.cancel(List.of(), Map.of(), NOW);
        assertThat(order.trackingStatus()).isEqualTo(OrderStatus.CANCELLED);
        reserveBoth(order);
        assertThat(order.trackingStatus()).as("answers arriving after the cancel").isEqualTo(OrderStatus.CANCELLED);
    }

    @Test
    void partOfALineCancelledLeavesTheRestOpen() {
        OrderReservation order = place(false);
        reserveBoth(order);
        order.cancel(List.of("1"), Map.of("1", 1), NOW);
        assertThat(order.trackingStatus()).isEqualTo(OrderStatus.PARTIALLY_CANCELLED);
    }

    @Test
    void aRefusedLineRejectsOrPartlyAcceptsAsTheSettingSays() {
        OrderReservation strict = place(false);
        strict.onLineAnswer("1", List.of(new Allocation("DC-1", 3)), Optional.empty(), NOW);
        strict.onLineAnswer("2", List.of(), Optional.of("insufficient stock"), NOW);
        assertThat(strict.trackingStatus()).isEqualTo(OrderStatus.REJECTED);

        OrderReservation partial = place(true);
        partial.onLineAnswer("1", List.of(new Allocation("DC-1", 3)), Optional.empty(), NOW);
        partial.onLineAnswer("2", List.of(), Optional.of("insufficient stock"), NOW);
        assertThat(partial.trackingStatus()).isEqualTo(OrderStatus.PARTIALLY_ACCEPTED);
    }

    @Test
    void reservationsHeldTooLongExpire() {
        OrderReservation order = place(false);
        reserveBoth(order);
        order.expire(NOW);
        assertThat(order.trackingStatus()).isEqualTo(OrderStatus.EXPIRED);
    }

    @Test
    void eachChangeGetsTheNextSequenceNumberAndOnlyChangedLines() {
        OrderReservation order = place(false);
        OrderReservation.StatusChange placed = order.track(null, List.of(), "evt-1", NOW).orElseThrow();
        assertThat(placed.sequence()).isEqualTo(1);
        assertThat(placed.previous()).isNull();
        assertThat(placed.lines()).hasSize(2);

        List<OrderReservation.LineState> before = order.lineStates();
        order.onLineAnswer("1", List.of(new Allocation("DC-1", 3)), Optional.empty(), NOW);
        OrderReservation.StatusChange answered = order.track(OrderStatus.PLACED, before, "evt-1/answer/1", NOW).orElseThrow();
        assertThat(answered.sequence()).isEqualTo(2);
        assertThat(answered.status()).isEqualTo(OrderStatus.PLACED);
        assertThat(answered.lines()).extracting(OrderReservation.LineState::lineId).containsExactly("1");

        assertThat(order.track(order.trackingStatus(), order.lineStates(), "evt-again", NOW)).as("nothing changed").isEmpty();
        assertThat(order.timeline()).extracting(OrderReservation.StatusChange::sequence).containsExactly(1L, 2L);
    }
}
