package dev.omnistock.inventory.orders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnistock.inventory.orders.LineInstruction.Action;
import dev.omnistock.inventory.orders.OrderReservation.Status;
import dev.omnistock.inventory.sourcing.Allocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OrderReservationTest {

    private final List<LineInstruction> reserves = new ArrayList<>();

    private OrderReservation place(boolean partialAllowed) {
        return OrderReservation.place("O-1", "evt-1", "WEB",
                List.of(new OrderLineRequest("1", "SKU-A", 2), new OrderLineRequest("2", "SKU-B", 1)),
                Optional.of("STORE-1"), false, false, partialAllowed, reserves);
    }

    private static final List<Allocation> AT_DC = List.of(new Allocation("DC", 2));
    private static final long NOW = 1_000_000L;
    private static final long DAY = 86_400_000L;

    @Test
    void placingAsksEachSkuToReserveItsLine() {
        place(false);
        assertThat(reserves).extracting(LineInstruction::sku, LineInstruction::action, LineInstruction::quantity, LineInstruction::locationId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("SKU-A", Action.RESERVE, 2, Optional.of("STORE-1")),
                        org.assertj.core.groups.Tuple.tuple("SKU-B", Action.RESERVE, 1, Optional.of("STORE-1")));
    }

    @Test
    void theOrderWaitsForEveryLine() {
        OrderReservation order = place(false);
        assertThat(order.onLineAnswer("1", AT_DC, Optional.empty(), NOW).decision()).isEmpty();
        assertThat(order.status()).isEqualTo(Status.PENDING);
    }

    @Test
    void allLinesReservedAcceptsTheOrder() {
        OrderReservation order = place(false);
        order.onLineAnswer("1", AT_DC, Optional.empty(), NOW);
        OrderReservation.Step last = order.onLineAnswer("2", List.of(new Allocation("DC", 1)), Optional.empty(), NOW);
        assertThat(last.decision()).hasValueSatisfying(d -> assertThat(d.status()).isEqualTo(Status.ACCEPTED));
        assertThat(last.instructions()).isEmpty();
    }

    @Test
    void oneRefusedLineRejectsTheOrderAndReleasesTheOthers() {
        OrderReservation order = place(false);
        order.onLineAnswer("1", AT_DC, Optional.empty(), NOW);
        OrderReservation.Step last = order.onLineAnswer("2", List.of(), Optional.of("insufficient stock"), NOW);
        assertThat(last.decision()).hasValueSatisfying(d -> assertThat(d.status()).isEqualTo(Status.REJECTED));
        assertThat(last.instructions()).singleElement().satisfies(i -> {
            assertThat(i.action()).isEqualTo(Action.RELEASE);
            assertThat(i.sku()).isEqualTo("SKU-A");
        });
    }

    @Test
    void withPartialOrdersTheReservedLinesAreAcceptedAlone() {
        OrderReservation order = place(true);
        order.onLineAnswer("1", AT_DC, Optional.empty(), NOW);
        OrderReservation.Step last = order.onLineAnswer("2", List.of(), Optional.of("insufficient stock"), NOW);
        assertThat(last.decision()).hasValueSatisfying(d -> assertThat(d.status()).isEqualTo(Status.ACCEPTED));
        assertThat(last.instructions()).isEmpty();
    }

    @Test
    void aRepeatedAnswerChangesNothing() {
        OrderReservation order = place(false);
        order.onLineAnswer("1", AT_DC, Optional.empty(), NOW);
        assertThat(order.onLineAnswer("1", AT_DC, Optional.empty(), NOW)).isEqualTo(new OrderReservation.Step(List.of(), Optional.empty()));
    }

    @Test
    void cancellingWhilePendingReleasesAnswersAsTheyArrive() {
        OrderReservation order = place(false);
        assertThat(order.cancel(List.of(), Map.of(), NOW)).isEmpty();
        OrderReservation.Step late = order.onLineAnswer("1", AT_DC, Optional.empty(), NOW);
        assertThat(late.instructions()).extracting(LineInstruction::action).containsExactly(Action.RELEASE);
        assertThat(late.decision()).isEmpty();
        assertThat(order.status()).isEqualTo(Status.CANCELLED);
    }

    @Test
    void cancellingOneLineReleasesThatLineOnly() {
        OrderReservation order = place(false);
        order.onLineAnswer("1", AT_DC, Optional.empty(), NOW);
        order.onLineAnswer("2", List.of(new Allocation("DC", 1)), Optional.empty(), NOW);
        assertThat(order.cancel(List.of("1"), Map.of("1", 1), NOW)).singleElement().satisfies(i -> {
            assertThat(i.sku()).isEqualTo("SKU-A");
            assertThat(i.quantity()).isEqualTo(1);
        });
        assertThat(order.status()).isEqualTo(Status.ACCEPTED);
    }

    @Test
    void aRejectedOrderIsForgottenOnlyAfterTheRetention() {
        OrderReservation order = place(false);
        order.onLineAnswer("1", AT_DC, Optional.empty(), NOW);
        order.onLineAnswer("2", List.of(), Optional.of("insufficient stock"), NOW);
        assertThat(order.forgettable(NOW + DAY - 1, DAY)).isFalse();
        assertThat(order.forgettable(NOW + DAY + 1, DAY)).isTrue();
    }

    @Test
    void anAcceptedOrderStaysUntilEveryLineIsShippedOrCancelled() {
        OrderReservation order = place(false);
        order.onLineAnswer("1", AT_DC, Optional.empty(), NOW);
        order.onLineAnswer("2", List.of(new Allocation("DC", 1)), Optional.empty(), NOW);
        assertThat(order.ship("1", 2, NOW)).isEmpty();
        assertThat(order.forgettable(NOW + 2 * DAY, DAY)).isFalse();
        order.cancel(List.of("2"), Map.of("2", 1), NOW);
        assertThat(order.forgettable(NOW + 2 * DAY, DAY)).isTrue();
    }

    @Test
    void anOrderCancelledWhilePendingStaysUntilItsAnswersAreIn() {
        OrderReservation order = place(false);
        order.cancel(List.of(), Map.of(), NOW);
        order.onLineAnswer("1", AT_DC, Optional.empty(), NOW);
        assertThat(order.forgettable(NOW + 2 * DAY, DAY)).isFalse();
        order.onLineAnswer("2", List.of(new Allocation("DC", 1)), Optional.empty(), NOW);
        assertThat(order.forgettable(NOW + 2 * DAY, DAY)).isTrue();
    }

    /** One line of 4 units of SKU-A, answered (or not) by the test. */
    private OrderReservation placeOneLineOfFour() {
        return OrderReservation.place("O-4", "evt-4", "WEB", List.of(new OrderLineRequest("1", "SKU-A", 4)),
                Optional.empty(), false, false, false, reserves);
    }

    private static final List<Allocation> FOUR_AT_DC = List.of(new Allocation("DC", 4));

    @Test
    void unitsCancelledWhileTheAnswerIsOnItsWayAreReleasedWhenItArrives() {
        OrderReservation order = placeOneLineOfFour();
        assertThat(order.cancel(List.of("1"), Map.of("1", 3), NOW)).isEmpty(); // nothing reserved yet to release
        OrderReservation.Step answered = order.onLineAnswer("1", FOUR_AT_DC, Optional.empty(), NOW);
        assertThat(answered.instructions()).singleElement().satisfies(i -> {
            assertThat(i.action()).isEqualTo(Action.RELEASE);
            assertThat(i.quantity()).isEqualTo(3);
        });
        assertThat(answered.decision()).hasValueSatisfying(d -> assertThat(d.status()).isEqualTo(Status.ACCEPTED));
    }

    @Test
    void aCancelAfterAPartialShipmentReleasesOnlyWhatIsStillOpen() {
        OrderReservation order = placeOneLineOfFour();
        order.onLineAnswer("1", FOUR_AT_DC, Optional.empty(), NOW);
        assertThat(order.ship("1", 1, NOW)).isEmpty();
        assertThat(order.cancel(List.of("1"), Map.of("1", 4), NOW)).singleElement()
                .satisfies(i -> assertThat(i.quantity()).isEqualTo(3));
        assertThat(order.cancel(List.of("1"), Map.of("1", 4), NOW)).as("nothing is left to cancel").isEmpty();
        assertThat(order.cancel(List.of(), Map.of(), NOW)).as("nor to cancel with the whole order").isEmpty();
        assertThat(order.forgettable(NOW + 2 * DAY, DAY)).isTrue();
    }

    @Test
    void aWholeCancelReleasesExactlyTheOpenUnits() {
        OrderReservation order = placeOneLineOfFour();
        order.onLineAnswer("1", FOUR_AT_DC, Optional.empty(), NOW);
        order.cancel(List.of("1"), Map.of("1", 1), NOW);
        order.ship("1", 2, NOW);
        assertThat(order.cancel(List.of(), Map.of(), NOW)).singleElement().satisfies(i -> assertThat(i.quantity()).isEqualTo(1));
        assertThat(order.status()).isEqualTo(Status.CANCELLED);
    }

    @Test
    void aWholeCancelWhilePendingReleasesWhatIsNotShippedWhenTheAnswerArrives() {
        OrderReservation order = placeOneLineOfFour();
        assertThat(order.ship("1", 1, NOW)).isEmpty();
        order.cancel(List.of(), Map.of(), NOW);
        assertThat(order.onLineAnswer("1", FOUR_AT_DC, Optional.empty(), NOW).instructions()).singleElement()
                .satisfies(i -> assertThat(i.quantity()).isEqualTo(3));
    }

    @Test
    void aRejectedOrderReleasesWhatItsLinesStillHold() {
        OrderReservation order = place(false);
        order.cancel(List.of("1"), Map.of("1", 1), NOW);
        OrderReservation.Step first = order.onLineAnswer("1", AT_DC, Optional.empty(), NOW);
        assertThat(first.instructions()).extracting(LineInstruction::quantity).containsExactly(1);
        OrderReservation.Step last = order.onLineAnswer("2", List.of(), Optional.of("insufficient stock"), NOW);
        assertThat(last.instructions()).extracting(LineInstruction::lineId, LineInstruction::quantity)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("1", 1));
    }

    @Test
    void onlyOpenUnitsOfAReservedLineCanShip() {
        OrderReservation order = placeOneLineOfFour();
        order.onLineAnswer("1", FOUR_AT_DC, Optional.empty(), NOW);
        order.cancel(List.of("1"), Map.of("1", 2), NOW);
        assertThat(order.ship("1", 3, NOW)).hasValueSatisfying(reason -> assertThat(reason).contains("which has 2 open"));
        assertThat(order.ship("9", 1, NOW)).hasValueSatisfying(reason -> assertThat(reason).contains("no line '9'"));
        assertThat(order.ship("1", 2, NOW)).isEmpty();
    }

    @Test
    void aRefusedLineCannotShip() {
        OrderReservation order = placeOneLineOfFour();
        order.onLineAnswer("1", List.of(), Optional.of("insufficient stock"), NOW);
        assertThat(order.ship("1", 1, NOW)).hasValueSatisfying(reason -> assertThat(reason).contains("was not reserved"));
    }

    @Test
    void aTillSaleIsReservedAtItsStoreAsSold() {
        List<LineInstruction> out = new ArrayList<>();
        OrderReservation.place("POS-1", "evt-pos", "STORE_POS", List.of(new OrderLineRequest("1", "SKU-A", 1)),
                Optional.of("STORE-1"), false, true, false, out);
        assertThat(out).singleElement().satisfies(i -> {
            assertThat(i.sold()).isTrue();
            assertThat(i.locationOnly()).isTrue();
            assertThat(i.locationId()).contains("STORE-1");
        });
    }

    @Test
    void anAcceptedOrderThatNeverShipsReleasesItsOpenUnitsWhenItExpires() {
        OrderReservation order = placeOneLineOfFour();
        order.onLineAnswer("1", FOUR_AT_DC, Optional.empty(), NOW);
        order.ship("1", 1, NOW);
        order.cancel(List.of("1"), Map.of("1", 1), NOW);
        assertThat(order.expire(NOW + DAY)).singleElement().satisfies(i -> {
            assertThat(i.action()).isEqualTo(Action.RELEASE);
            assertThat(i.quantity()).isEqualTo(2);
        });
        assertThat(order.status()).isEqualTo(Status.EXPIRED);
        assertThat(order.closedAtMillis()).isEqualTo(NOW + DAY);
        assertThat(order.ship("1", 1, NOW + DAY)).as("nothing open is left to ship").isPresent();
        assertThat(order.expire(NOW + 2 * DAY)).isEmpty();
    }

    @Test
    void onlyAnAcceptedOrderWithOpenUnitsExpires() {
        OrderReservation shipped = placeOneLineOfFour();
        shipped.onLineAnswer("1", FOUR_AT_DC, Optional.empty(), NOW);
        shipped.ship("1", 4, NOW);
        assertThat(shipped.expire(NOW + DAY)).isEmpty();
        assertThat(shipped.status()).isEqualTo(Status.ACCEPTED);

        OrderReservation rejected = placeOneLineOfFour();
        rejected.onLineAnswer("1", List.of(), Optional.of("insufficient stock"), NOW);
        assertThat(rejected.expire(NOW + DAY)).isEmpty();
        assertThat(rejected.status()).isEqualTo(Status.REJECTED);
    }

    @Test
    void validationNamesTheProblem() {
        assertThat(OrderValidation.problem(List.of())).contains("it has no lines");
        assertThat(OrderValidation.problem(List.of(new OrderLineRequest("1", "A", 1), new OrderLineRequest("1", "B", 1))))
                .hasValueSatisfying(p -> assertThat(p).contains("appears twice"));
        assertThat(OrderValidation.problem(List.of(new OrderLineRequest("1", "A", 1)))).isEmpty();
    }

    @Test
    void anOrderIdPlacedAgainAfterBeingForgottenTellsChangesUnderNewIds() {
        OrderReservation first = OrderReservation.place("O-AGAIN", "evt-first", "WEB", List.of(new OrderLineRequest("1", "SKU-A", 1)),
                Optional.empty(), false, false, false, new ArrayList<>());
        OrderReservation again = OrderReservation.place("O-AGAIN", "evt-again", "WEB", List.of(new OrderLineRequest("1", "SKU-A", 1)),
                Optional.empty(), false, false, false, new ArrayList<>());
        OrderReservation.StatusChange firstPlaced = first.track(null, List.of(), "evt-first", 1_000).orElseThrow();
        OrderReservation.StatusChange placedAgain = again.track(null, List.of(), "evt-again", 2_000).orElseThrow();

        assertThat(placedAgain.sequence()).isEqualTo(firstPlaced.sequence());
        assertThat(again.changeId(placedAgain)).isNotEqualTo(first.changeId(firstPlaced));
        // A copy of the same change (a redelivered placement) keeps its id.
        OrderReservation copy = OrderReservation.place("O-AGAIN", "evt-first", "WEB", List.of(new OrderLineRequest("1", "SKU-A", 1)),
                Optional.empty(), false, false, false, new ArrayList<>());
        assertThat(copy.changeId(copy.track(null, List.of(), "evt-first", 1_000).orElseThrow())).isEqualTo(first.changeId(firstPlaced));
    }
}
