package dev.omnistock.inventory.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnistock.inventory.alerts.AlertKind;
import dev.omnistock.inventory.alerts.AlertRule;
import dev.omnistock.inventory.ledger.LedgerCommand.AcceptReturn;
import dev.omnistock.inventory.ledger.LedgerCommand.AdjustOnHand;
import dev.omnistock.inventory.ledger.LedgerCommand.Configure;
import dev.omnistock.inventory.ledger.LedgerCommand.Count;
import dev.omnistock.inventory.ledger.LedgerCommand.ExpectInbound;
import dev.omnistock.inventory.ledger.LedgerCommand.MarkUnavailable;
import dev.omnistock.inventory.ledger.LedgerCommand.Receive;
import dev.omnistock.inventory.ledger.LedgerCommand.Release;
import dev.omnistock.inventory.ledger.LedgerCommand.ReleaseUnavailable;
import dev.omnistock.inventory.ledger.LedgerCommand.Reserve;
import dev.omnistock.inventory.ledger.LedgerCommand.Ship;
import dev.omnistock.inventory.ledger.Outcome.Status;
import dev.omnistock.inventory.sourcing.Allocation;
import dev.omnistock.inventory.sourcing.SourcingPolicy;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SkuLedgerTest {

    private static final InventoryRules RULES = new InventoryRules(
            new SourcingPolicy(List.of("DC"), false), new AlertRule(2), 5, java.time.Duration.ofDays(14));

    private final SkuLedger ledger = new SkuLedger("SKU-1");
    private final InMemoryReservationBook reservations = new InMemoryReservationBook();
    private final InMemoryAppliedEvents applied = new InMemoryAppliedEvents();
    private final AtomicInteger ids = new AtomicInteger();
    private long clock = 1_000;

    private Outcome apply(LedgerCommand command) {
        return ledger.apply("e" + ids.incrementAndGet(), clock++, command, RULES, reservations, applied);
    }

    private Position.Totals at(String location) {
        return ledger.position().locations().stream().filter(l -> l.locationId().equals(location))
                .findFirst().orElseThrow().totals();
    }

    @Test
    void aCountSetsOnHandAbsolutely() {
        apply(new Count("DC", 10));
        apply(new Count("DC", 7));
        assertThat(at("DC").onHand()).isEqualTo(7);
        assertThat(at("DC").available()).isEqualTo(7);
    }

    @Test
    void aNegativeCountIsRejectedAndChangesNothing() {
        apply(new Count("DC", 10));
        Outcome outcome = apply(new Count("DC", -1));
        assertThat(outcome.status()).isEqualTo(Status.REJECTED);
        assertThat(outcome.reason()).hasValueSatisfying(r -> assertThat(r).contains("negative"));
        assertThat(at("DC").onHand()).isEqualTo(10);
    }

    @Test
    void anAdjustmentAppliesADelta() {
        apply(new Count("DC", 10));
        apply(new AdjustOnHand("DC", -3));
        assertThat(at("DC").onHand()).isEqualTo(7);
    }

    @Test
    void anAdjustmentBelowZeroIsRejected() {
        apply(new Count("DC", 2));
        assertThat(apply(new AdjustOnHand("DC", -3)).status()).isEqualTo(Status.REJECTED);
        assertThat(at("DC").onHand()).isEqualTo(2);
    }

    @Test
    void damagedUnitsStayOnHandButAreNotAvailableUntilReleased() {
        apply(new Count("DC", 10));
        apply(new MarkUnavailable("DC", 4));
        assertThat(at("DC")).extracting(Position.Totals::onHand, Position.Totals::unavailable, Position.Totals::available)
                .containsExactly(10, 4, 6);
        apply(new ReleaseUnavailable("DC", 4));
        assertThat(at("DC").available()).isEqualTo(10);
    }

    @Test
    void receivingAddsToOnHandAndAnswersTheExpectedInbound() {
        apply(new ExpectInbound("DC", "PO-1", 20, java.util.OptionalLong.empty()));
        assertThat(at("DC").incoming()).isEqualTo(20);
        apply(new Receive("DC", 15, Optional.of("PO-1")));
        assertThat(at("DC")).extracting(Position.Totals::onHand, Position.Totals::incoming).containsExactly(15, 5);
        apply(new Receive("DC", 5, Optional.of("PO-1")));
        assertThat(at("DC").incoming()).isZero();
    }

    private static final long DAY = 86_400_000L;

    @Test
    void expectedInboundThatNeverArrivesStopsCountingAfterTheExpiry() {
        long expectedAt = 10 * DAY;
        apply(new ExpectInbound("DC", "PO-late", 20, java.util.OptionalLong.of(expectedAt)));
        apply(new ExpectInbound("DC", "PO-undated", 5, java.util.OptionalLong.empty())); // announced at about 1 s
        assertThat(ledger.nextInboundExpiry()).hasValue(1_001 + 14 * DAY);
        long versionBefore = ledger.position().version();

        assertThat(ledger.expireInbound(expectedAt + 14 * DAY - 1)).isTrue(); // only the undated one
        assertThat(at("DC").incoming()).isEqualTo(20);
        assertThat(ledger.nextInboundExpiry()).hasValue(expectedAt + 14 * DAY);
        assertThat(ledger.expireInbound(expectedAt + 14 * DAY)).isTrue();
        assertThat(at("DC").incoming()).isZero();
        assertThat(ledger.nextInboundExpiry()).isEmpty();
        assertThat(ledger.expireInbound(expectedAt + 20 * DAY)).as("nothing left to expire").isFalse();
        assertThat(ledger.position().version()).isEqualTo(versionBefore + 2);
    }

    @Test
    void inboundThatArrivedInFullNeverExpires() {
        apply(new ExpectInbound("DC", "PO-1", 20, java.util.OptionalLong.empty()));
        apply(new Receive("DC", 20, Optional.of("PO-1")));
        assertThat(ledger.nextInboundExpiry()).isEmpty();
        assertThat(ledger.expireInbound(100 * DAY)).isFalse();
        assertThat(at("DC").onHand()).isEqualTo(20);
    }

    @Test
    void safetyStockIsHeldBackFromAvailable() {
        apply(new Count("DC", 10));
        apply(new Configure(Optional.empty(), OptionalInt.of(3), OptionalInt.empty()));
        assertThat(at("DC").available()).isEqualTo(7);
        apply(new Configure(Optional.of("DC"), OptionalInt.of(1), OptionalInt.empty()));
        assertThat(at("DC").available()).isEqualTo(9);
    }

    @Test
    void aReservationCommitsAtTheAllocatedLocation() {
        apply(new Count("DC", 10));
        Outcome outcome = apply(new Reserve("O-1", "1", 4, Optional.empty(), false, false));
        assertThat(outcome.reservation()).hasValueSatisfying(r ->
                assertThat(r.allocations()).containsExactly(new Allocation("DC", 4)));
        assertThat(at("DC")).extracting(Position.Totals::committed, Position.Totals::available).containsExactly(4, 6);
    }

    @Test
    void aReservationThatCannotBeCoveredIsRefusedAndCommitsNothing() {
        apply(new Count("DC", 3));
        Outcome outcome = apply(new Reserve("O-1", "1", 4, Optional.empty(), false, false));
        assertThat(outcome.reservation()).hasValueSatisfying(r -> {
            assertThat(r.reserved()).isFalse();
            assertThat(r.rejectionReason()).hasValueSatisfying(reason -> assertThat(reason).contains("insufficient"));
        });
        assertThat(at("DC").committed()).isZero();
    }

    @Test
    void theLastUnitGoesToTheFirstOrderOnly() {
        apply(new Count("DC", 1));
        assertThat(apply(new Reserve("O-web", "1", 1, Optional.empty(), false, false)).reservation().orElseThrow().reserved()).isTrue();
        assertThat(apply(new Reserve("O-app", "1", 1, Optional.empty(), false, false)).reservation().orElseThrow().reserved()).isFalse();
        assertThat(at("DC").committed()).isEqualTo(1);
    }

    @Test
    void aCancelReleasesTheReservation() {
        apply(new Count("DC", 10));
        apply(new Reserve("O-1", "1", 4, Optional.empty(), false, false));
        apply(new Release("O-1", "1", OptionalInt.of(1)));
        assertThat(at("DC").committed()).isEqualTo(3);
        apply(new Release("O-1", "1", OptionalInt.empty()));
        assertThat(at("DC")).extracting(Position.Totals::committed, Position.Totals::available).containsExactly(0, 10);
    }

    @Test
    void aFullyShippedLineLeavesNoOpenReservation() {
        apply(new Count("DC", 10));
        apply(new Reserve("O-1", "1", 4, Optional.empty(), false, false));
        apply(new Ship("O-1", "1", "DC", 4));
        assertThat(reservations.find("O-1", "1")).isEmpty();
    }

    @Test
    void aShipmentReducesOnHandAndCommittedTogether() {
        apply(new Count("DC", 10));
        apply(new Reserve("O-1", "1", 4, Optional.empty(), false, false));
        apply(new Ship("O-1", "1", "DC", 4));
        assertThat(at("DC")).extracting(Position.Totals::onHand, Position.Totals::committed, Position.Totals::available)
                .containsExactly(6, 0, 6);
    }

    @Test
    void shippingMoreThanIsCommittedIsRejected() {
        apply(new Count("DC", 10));
        apply(new Reserve("O-1", "1", 2, Optional.empty(), false, false));
        Outcome outcome = apply(new Ship("O-1", "1", "DC", 3));
        assertThat(outcome.status()).isEqualTo(Status.REJECTED);
        assertThat(outcome.reason()).hasValueSatisfying(r -> assertThat(r).contains("only 2 are committed"));
        assertThat(at("DC")).extracting(Position.Totals::onHand, Position.Totals::committed).containsExactly(10, 2);
    }

    @Test
    void aTillSaleIsAFactEvenWhenTheLedgerThinksTheStoreHasTooLittle() {
        apply(new Count("STORE-1", 2));
        apply(new Reserve("O-pickup", "1", 2, Optional.of("STORE-1"), true, false));
        Outcome sale = apply(new Reserve("POS-1", "1", 1, Optional.of("STORE-1"), true, true));
        assertThat(sale.reservation()).hasValueSatisfying(r -> assertThat(r.allocations()).containsExactly(new Allocation("STORE-1", 1)));
        assertThat(sale.alerts()).filteredOn(a -> a.kind() == AlertKind.OVERSOLD).singleElement().satisfies(a -> {
            assertThat(a.locationId()).contains("STORE-1");
            assertThat(a.available()).isEqualTo(-1);
        });
        assertThat(apply(new Ship("POS-1", "1", "STORE-1", 1)).status()).isEqualTo(Status.APPLIED);
        assertThat(at("STORE-1")).extracting(Position.Totals::onHand, Position.Totals::committed, Position.Totals::available)
                .containsExactly(1, 2, 0);
    }

    @Test
    void aTillSaleWithinWhatIsThereRaisesNoOversoldAlert() {
        apply(new Count("STORE-1", 20));
        Outcome sale = apply(new Reserve("POS-1", "1", 1, Optional.of("STORE-1"), true, true));
        assertThat(sale.alerts()).noneMatch(a -> a.kind() == AlertKind.OVERSOLD);
    }

    @Test
    void aResellableReturnIsAvailableAgainAndADamagedOneIsNot() {
        apply(new Count("DC", 0));
        apply(new AcceptReturn("DC", 2, true));
        apply(new AcceptReturn("DC", 1, false));
        assertThat(at("DC")).extracting(Position.Totals::onHand, Position.Totals::unavailable, Position.Totals::available)
                .containsExactly(3, 1, 2);
    }

    @Test
    void aDuplicateEventIsAppliedOnce() {
        ledger.apply("same", clock, new Receive("DC", 5, Optional.empty()), RULES, reservations, applied);
        Outcome again = ledger.apply("same", clock, new Receive("DC", 5, Optional.empty()), RULES, reservations, applied);
        assertThat(again.status()).isEqualTo(Status.IGNORED);
        assertThat(at("DC").onHand()).isEqualTo(5);
    }

    @Test
    void aMovementOlderThanTheLatestCountIsAlreadyInIt() {
        ledger.apply("count", 2_000, new Count("DC", 10), RULES, reservations, applied);
        Outcome late = ledger.apply("late", 1_500, new Receive("DC", 5, Optional.empty()), RULES, reservations, applied);
        Outcome staleCount = ledger.apply("old-count", 1_000, new Count("DC", 99), RULES, reservations, applied);
        assertThat(late.status()).isEqualTo(Status.APPLIED);
        assertThat(staleCount.status()).isEqualTo(Status.IGNORED);
        assertThat(at("DC").onHand()).isEqualTo(10);
    }

    @Test
    void networkTotalsSumTheLocations() {
        apply(new Count("DC", 10));
        apply(new Count("STORE-1", 3));
        apply(new Reserve("O-1", "1", 2, Optional.of("STORE-1"), false, false));
        Position.Totals network = ledger.position().network();
        assertThat(network).extracting(Position.Totals::onHand, Position.Totals::committed, Position.Totals::available)
                .containsExactly(13, 2, 11);
    }

    @Test
    void alertsFireOnTheEdgeOnly() {
        assertThat(apply(new Count("DC", 20)).alerts()).isEmpty();
        assertThat(apply(new AdjustOnHand("DC", -15)).alerts()).singleElement()
                .satisfies(a -> assertThat(a.kind()).isEqualTo(AlertKind.LOW_STOCK));
        assertThat(apply(new AdjustOnHand("DC", -1)).alerts()).isEmpty();
        assertThat(apply(new AdjustOnHand("DC", -4)).alerts()).singleElement()
                .satisfies(a -> assertThat(a.kind()).isEqualTo(AlertKind.OUT_OF_STOCK));
        assertThat(apply(new Receive("DC", 8, Optional.empty())).alerts()).singleElement()
                .satisfies(a -> assertThat(a.kind()).isEqualTo(AlertKind.BACK_IN_STOCK));
    }

    @Test
    void settingsForASkuWithNoStockYetDoNotAlert() {
        assertThat(apply(new Configure(Optional.empty(), OptionalInt.empty(), OptionalInt.of(4))).alerts()).isEmpty();
        assertThat(apply(new Count("DC", 10)).alerts()).isEmpty();
    }

    @Test
    void aLocationWithItsOwnThresholdAlertsForItself() {
        apply(new Count("DC", 100));
        apply(new Count("STORE-1", 10));
        apply(new Configure(Optional.of("STORE-1"), OptionalInt.empty(), OptionalInt.of(3)));
        Outcome outcome = apply(new AdjustOnHand("STORE-1", -8));
        assertThat(outcome.alerts()).singleElement().satisfies(a -> {
            assertThat(a.locationId()).contains("STORE-1");
            assertThat(a.kind()).isEqualTo(AlertKind.LOW_STOCK);
            assertThat(a.threshold()).isEqualTo(3);
        });
    }
}
