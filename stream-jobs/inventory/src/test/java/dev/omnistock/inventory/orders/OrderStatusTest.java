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
        assertThat(order.trackingStatus()).as("2 shipped, the other 3 cancelled: what was left shipped").isEqualTo(OrderStatus.SHIPPED);
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
    void aCancelBeforeTheAnswersStaysCancelledWhenTheLinesAreThenRefused() {
        OrderReservation order = place(false);
        order.cancel(List.of(), Map.of(), NOW);
        order.onLineAnswer("1", List.of(), Optional.of("insufficient stock"), NOW);
        order.onLineAnswer("2", List.of(), Optional.of("insufficient stock"), NOW);
        assertThat(order.trackingStatus()).as("the cancelled units were never refused").isEqualTo(OrderStatus.CANCELLED);
    }

    @Test
    void unitsCancelledBeforeARefusalAreCancelledTheRestRefused() {
        OrderReservation order = place(false);
        order.cancel(List.of("1"), Map.of("1", 1), NOW);
        order.onLineAnswer("1", List.of(), Optional.of("insufficient stock"), NOW);
        order.onLineAnswer("2", List.of(new Allocation("STORE-1", 2)), Optional.empty(), NOW);
        assertThat(order.trackingStatus()).as("1 cancelled, the rest refused or released: units cancelled make it CANCELLED").isEqualTo(OrderStatus.CANCELLED);

        OrderReservation refused = place(false);
        refused.onLineAnswer("1", List.of(), Optional.of("insufficient stock"), NOW);
        refused.onLineAnswer("2", List.of(), Optional.of("insufficient stock"), NOW);
        assertThat(refused.trackingStatus()).as("every unit refused").isEqualTo(OrderStatus.REJECTED);
    }

    @Test
    void aCancelAfterTheRejectionChangesNothing() {
        OrderReservation order = place(false);
        order.onLineAnswer("1", List.of(new Allocation("DC-1", 3)), Optional.empty(), NOW);
        order.onLineAnswer("2", List.of(), Optional.of("insufficient stock"), NOW);
        assertThat(order.cancel(List.of(), Map.of(), NOW)).as("nothing to release").isEmpty();
        assertThat(order.lineStates()).extracting(OrderReservation.LineState::cancelled).containsExactly(0, 0);
        assertThat(order.trackingStatus()).isEqualTo(OrderStatus.REJECTED);
    }

    @Test
    void anOrderWithAUnitCancelledAndEveryOtherShippedIsShipped() {
        OrderReservation order = place(false);
        reserveBoth(order);
        order.cancel(List.of("1"), Map.of("1", 1), NOW);
        order.ship("1", 2, NOW);
        assertThat(order.trackingStatus()).as("line 2 still to ship").isEqualTo(OrderStatus.PARTIALLY_SHIPPED);
        order.ship("2", 2, NOW);
        assertThat(order.trackingStatus()).isEqualTo(OrderStatus.SHIPPED);
        assertThat(order.lineStates().get(0).cancelled()).as("the cancelled unit stays on its line").isEqualTo(1);
    }

    @Test
    void aPartlyShippedOrderWhoseReservationExpiresIsShipped() {
        OrderReservation order = place(false);
        reserveBoth(order);
        order.ship("1", 1, NOW);
        order.expire(NOW);
        assertThat(order.trackingStatus()).as("1 shipped, the rest expired").isEqualTo(OrderStatus.SHIPPED);
        assertThat(order.lineStates()).extracting(OrderReservation.LineState::shipped).containsExactly(1, 0);
    }

    @Test
    void aShippedUnitWhileTheOtherLineWaitsKeepsTheOrderPlaced() {
        OrderReservation order = place(false);
        order.onLineAnswer("1", List.of(new Allocation("DC-1", 3)), Optional.empty(), NOW);
        order.ship("1", 3, NOW);
        assertThat(order.trackingStatus()).as("line 2 waits for its answer").isEqualTo(OrderStatus.PLACED);
    }

    @Test
    void eachChangeGetsTheNextSequenceNumber() {
        OrderReservation order = place(false);
        OrderReservation.StatusChange placed = order.track(null, List.of(), "evt-1", NOW).orElseThrow();
        assertThat(placed.sequence()).isEqualTo(1);
        assertThat(placed.previous()).isNull();
        assertThat(placed.lines()).hasSize(2);

        reserveBoth(order);
        List<OrderReservation.LineState> before = order.lineStates();
        order.ship("1", 1, NOW);
        OrderReservation.StatusChange shipped = order.track(OrderStatus.ACCEPTED, before, "evt-2", NOW).orElseThrow();
        assertThat(shipped.sequence()).isEqualTo(2);
        assertThat(shipped.previous()).isEqualTo(OrderStatus.ACCEPTED);
        assertThat(shipped.status()).isEqualTo(OrderStatus.PARTIALLY_SHIPPED);

        assertThat(order.track(order.trackingStatus(), order.lineStates(), "evt-again", NOW)).as("nothing changed").isEmpty();
        assertThat(order.timeline()).extracting(OrderReservation.StatusChange::sequence).containsExactly(1L, 2L);
    }

    @Test
    void aLineAnswerWhileTheOtherLineWaitsIsNoNewsTheDecisionShowsEveryLine() {
        OrderReservation order = place(true);
        order.track(null, List.of(), "evt-1", NOW).orElseThrow();
        List<OrderReservation.LineState> before = order.lineStates();
        order.onLineAnswer("1", List.of(), Optional.of("insufficient stock"), NOW);
        assertThat(order.track(OrderStatus.PLACED, before, "evt-1/answer/1", NOW)).as("line 2 still waits").isEmpty();

        before = order.lineStates();
        order.onLineAnswer("2", List.of(new Allocation("STORE-1", 2)), Optional.empty(), NOW);
        OrderReservation.StatusChange decided = order.track(OrderStatus.PLACED, before, "evt-1/answer/2", NOW).orElseThrow();
        assertThat(decided.sequence()).isEqualTo(2);
        assertThat(decided.status()).isEqualTo(OrderStatus.PARTIALLY_ACCEPTED);
        assertThat(decided.lines()).extracting(OrderReservation.LineState::lineId).containsExactly("1", "2");
    }

    @Test
    void aSecondShipmentWithTheSameStatusIsNewsOfItsLineOnly() {
        OrderReservation order = place(false);
        reserveBoth(order);
        order.ship("1", 1, NOW);
        List<OrderReservation.LineState> before = order.lineStates();
        order.ship("1", 1, NOW);
        OrderReservation.StatusChange again = order.track(OrderStatus.PARTIALLY_SHIPPED, before, "evt-3", NOW).orElseThrow();
        assertThat(again.status()).isEqualTo(OrderStatus.PARTIALLY_SHIPPED);
        assertThat(again.lines()).extracting(OrderReservation.LineState::lineId).containsExactly("1");
    }
}
