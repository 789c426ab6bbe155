package dev.omnistock.analytics.demand;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RollupTest {

    private static DemandTotals units(long ordered, long facts) {
        return new DemandTotals(ordered, 0, BigDecimal.ZERO.setScale(4), 0, 0, 0, facts);
    }

    @Test
    void aCorrectedMinuteReplacesItsOldFiguresInTheHour() {
        DemandTotals hour = Rollup.replace(DemandTotals.NONE, Optional.empty(), units(5, 2)).orElseThrow();
        hour = Rollup.replace(hour, Optional.empty(), units(3, 1)).orElseThrow();

        DemandTotals corrected = Rollup.replace(hour, Optional.of(units(5, 2)), units(7, 3)).orElseThrow();

        assertThat(corrected.unitsOrdered()).isEqualTo(10);
        assertThat(corrected.facts()).isEqualTo(4);
    }

    @Test
    void aMinuteNotNewerThanTheOneCountedChangesNothing() {
        DemandTotals hour = units(5, 2);
        assertThat(Rollup.replace(hour, Optional.of(units(5, 2)), units(5, 2))).isEmpty();
        assertThat(Rollup.replace(hour, Optional.of(units(5, 2)), units(4, 1))).isEmpty();
    }

    @Test
    void grainsStartOnUtcBoundaries() {
        long t = java.time.Instant.parse("2026-11-23T13:47:31.250Z").toEpochMilli();
        assertThat(Grain.MINUTE.start(t)).isEqualTo(java.time.Instant.parse("2026-11-23T13:47:00Z").toEpochMilli());
        assertThat(Grain.HOUR.start(t)).isEqualTo(java.time.Instant.parse("2026-11-23T13:00:00Z").toEpochMilli());
        assertThat(Grain.DAY.start(t)).isEqualTo(java.time.Instant.parse("2026-11-23T00:00:00Z").toEpochMilli());
    }

    @Test
    void demandKeysRoundTripTheirDimensions() {
        DemandDimensions dimensions = new DemandDimensions("SKU-1", "WEB", "STORE-1", "EUR");
        assertThat(DemandDimensions.ofKey(dimensions.key())).isEqualTo(dimensions);
    }
}
