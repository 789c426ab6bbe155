package dev.omnistock.analytics.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StockoutForecastTest {

    private static final long HOUR = 3_600_000L;
    private static final StockoutForecast.Rule RULE = new StockoutForecast.Rule(Duration.ofHours(24), 7, 0.2);

    @Test
    void steadyDemandSettlesAtItsRate() {
        DemandVelocity velocity = DemandVelocity.NONE;
        for (int hour = 0; hour < 24 * 14; hour++) {
            velocity = velocity.withOrder(hour * HOUR, 10, RULE.halfLife());
        }
        assertThat(velocity.unitsPerHourAt(24 * 14 * HOUR, RULE.halfLife())).isCloseTo(10, within(0.5));
    }

    @Test
    void velocityHalvesEveryHalfLifeWithoutDemand() {
        DemandVelocity velocity = new DemandVelocity(8, 0);
        assertThat(velocity.unitsPerHourAt(24 * HOUR, RULE.halfLife())).isCloseTo(4, within(1e-9));
        assertThat(velocity.unitsPerHourAt(48 * HOUR, RULE.halfLife())).isCloseTo(2, within(1e-9));
    }

    @Test
    void predictsOnceWhenCoverFallsBelowTheLeadTime() {
        // 10 units/hour = 240/day; 7 days lead time needs 1,680 units.
        StockoutForecast forecast = new StockoutForecast(new DemandVelocity(10, 0), -1, -1, false);

        StockoutForecast.Applied plenty = forecast.onAvailable("SKU-1", 0, 2_000, "p1", RULE);
        StockoutForecast.Applied low = plenty.forecast().onAvailable("SKU-1", 0, 1_000, "p2", RULE);
        StockoutForecast.Applied lower = low.forecast().onAvailable("SKU-1", 0, 900, "p3", RULE);

        assertThat(plenty.prediction()).isEmpty();
        assertThat(low.prediction()).hasValueSatisfying(p -> {
            assertThat(p.projectedStockoutAt()).isEqualTo(100 * HOUR);
            assertThat(p.leadTimeDays()).isEqualTo(7);
            assertThat(p.unitsToCoverLeadTime()).isEqualTo(1_680);
            assertThat(p.causedByEventId()).isEqualTo("p2");
        });
        assertThat(lower.prediction()).isEmpty();
    }

    @Test
    void predictsAgainOnlyAfterCoverRecoversPastTheMargin() {
        StockoutForecast predicted = new StockoutForecast(new DemandVelocity(10, 0), 1_000, -1, true);

        StockoutForecast.Applied justAbove = predicted.onAvailable("SKU-1", 0, 1_700, "p1", RULE);
        StockoutForecast.Applied recovered = justAbove.forecast().onAvailable("SKU-1", 0, 2_100, "p2", RULE);
        StockoutForecast.Applied lowAgain = recovered.forecast().onAvailable("SKU-1", 0, 1_000, "p3", RULE);

        assertThat(justAbove.prediction()).isEmpty();
        assertThat(justAbove.forecast().predicted()).isTrue();
        assertThat(recovered.forecast().predicted()).isFalse();
        assertThat(lowAgain.prediction()).isPresent();
    }

    @Test
    void aSkuSettingOverridesTheDefaultLeadTime() {
        StockoutForecast forecast = new StockoutForecast(new DemandVelocity(10, 0), 1_000, -1, false);

        StockoutForecast.Applied shortLead = forecast.onLeadTime("SKU-1", 0, 2, RULE);

        assertThat(shortLead.prediction()).isEmpty();
        assertThat(shortLead.forecast().onLeadTime("SKU-1", 0, 5, RULE).prediction()).isPresent();
    }

    @Test
    void noPredictionWithoutDemandOrWhenAlreadyOut() {
        assertThat(StockoutForecast.UNKNOWN.onAvailable("SKU-1", 0, 10, "p1", RULE).prediction()).isEmpty();
        StockoutForecast busy = new StockoutForecast(new DemandVelocity(10, 0), -1, -1, false);
        assertThat(busy.onAvailable("SKU-1", 0, 0, "p1", RULE).prediction()).isEmpty();
    }

    @Test
    void ordersRaiseTheVelocityUntilThePredictionFires() {
        StockoutForecast forecast = StockoutForecast.UNKNOWN.onAvailable("SKU-1", 0, 100, "p1", RULE).forecast();
        StockoutForecast.Applied applied = null;
        int orders = 0;
        while (applied == null || applied.prediction().isEmpty()) {
            applied = (applied == null ? forecast : applied.forecast()).onOrdered("SKU-1", orders * 60_000L, 1, "o" + orders, RULE);
            orders++;
        }
        // 100 units for 7 days: cover falls short above 100/168 = 0.595 units/hour. Each unit ordered adds
        // ln2/24 = 0.0289 units/hour (half-life 24 h), so the 21st order within minutes crosses it.
        assertThat(orders).isEqualTo(21);
        assertThat(applied.prediction().get().causedByEventId()).isEqualTo("o" + (orders - 1));
    }
}
