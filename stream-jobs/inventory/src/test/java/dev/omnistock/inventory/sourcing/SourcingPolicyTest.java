package dev.omnistock.inventory.sourcing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SourcingPolicyTest {

    private final SourcingPolicy noSplit = new SourcingPolicy(List.of("DC-EAST", "DC-WEST"), false);
    private final SourcingPolicy split = new SourcingPolicy(List.of("DC-EAST", "DC-WEST"), true);

    @Test
    void theRequestedLocationWinsWhenItCoversTheLine() {
        var decision = noSplit.allocate(2, Optional.of("STORE-1"), false, Map.of("STORE-1", 2, "DC-EAST", 50));
        assertThat(decision.allocations()).containsExactly(new Allocation("STORE-1", 2));
    }

    @Test
    void otherwiseTheLocationWithTheMostAvailable() {
        var decision = noSplit.allocate(3, Optional.of("STORE-1"), false, Map.of("STORE-1", 2, "DC-EAST", 5, "DC-WEST", 9));
        assertThat(decision.allocations()).containsExactly(new Allocation("DC-WEST", 3));
    }

    @Test
    void tiesGoToTheConfiguredPriority() {
        var decision = noSplit.allocate(1, Optional.empty(), false, Map.of("DC-WEST", 4, "DC-EAST", 4, "AAA", 4));
        assertThat(decision.allocations()).containsExactly(new Allocation("DC-EAST", 1));
    }

    @Test
    void withoutSplittingALineNoSingleLocationCoversIsRejected() {
        var decision = noSplit.allocate(5, Optional.empty(), false, Map.of("DC-EAST", 3, "DC-WEST", 3));
        assertThat(decision.accepted()).isFalse();
        assertThat(decision.rejectionReason()).hasValueSatisfying(r -> assertThat(r).contains("5 requested").contains("at most 3"));
    }

    @Test
    void splittingTakesFromTheFullestLocationsFirst() {
        var decision = split.allocate(5, Optional.empty(), false, Map.of("DC-EAST", 3, "DC-WEST", 4, "STORE-1", 1));
        assertThat(decision.allocations()).containsExactly(new Allocation("DC-WEST", 4), new Allocation("DC-EAST", 1));
    }

    @Test
    void evenSplittingCannotSellWhatIsNotThere() {
        var decision = split.allocate(9, Optional.empty(), false, Map.of("DC-EAST", 3, "DC-WEST", 4));
        assertThat(decision.rejectionReason()).hasValueSatisfying(r -> assertThat(r).contains("7 available"));
    }

    @Test
    void aPickupLineIsReservedAtItsStoreOrNotAtAll() {
        var decision = split.allocate(3, Optional.of("STORE-1"), true, Map.of("STORE-1", 2, "DC-EAST", 50));
        assertThat(decision.accepted()).isFalse();
        assertThat(decision.rejectionReason()).hasValueSatisfying(r -> assertThat(r).contains("at STORE-1").contains("2 available there"));
        assertThat(split.allocate(2, Optional.of("STORE-1"), true, Map.of("STORE-1", 2)).allocations())
                .containsExactly(new Allocation("STORE-1", 2));
    }

    @Test
    void aNonPositiveQuantityIsRejected() {
        assertThat(noSplit.allocate(0, Optional.empty(), false, Map.of("DC-EAST", 3)).accepted()).isFalse();
    }
}
