package dev.omnistock.inventory.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AlertRuleTest {

    private final AlertRule rule = new AlertRule(3);

    @Test
    void fallingToTheThresholdFiresLowStock() {
        assertThat(rule.evaluate(StockLevel.IN_STOCK, 10, 10))
                .isEqualTo(new AlertRule.Transition(StockLevel.LOW, Optional.of(AlertKind.LOW_STOCK)));
    }

    @Test
    void stayingLowFiresNothingMore() {
        assertThat(rule.evaluate(StockLevel.LOW, 4, 10).alert()).isEmpty();
    }

    @Test
    void reachingZeroFiresOutOfStockOnce() {
        assertThat(rule.evaluate(StockLevel.LOW, 0, 10).alert()).contains(AlertKind.OUT_OF_STOCK);
        assertThat(rule.evaluate(StockLevel.OUT, 0, 10).alert()).isEmpty();
    }

    @Test
    void risingAboveThresholdPlusHysteresisFiresBackInStock() {
        assertThat(rule.evaluate(StockLevel.LOW, 14, 10))
                .isEqualTo(new AlertRule.Transition(StockLevel.IN_STOCK, Optional.of(AlertKind.BACK_IN_STOCK)));
    }

    @Test
    void insideTheHysteresisBandTheLevelHolds() {
        assertThat(rule.evaluate(StockLevel.LOW, 13, 10)).isEqualTo(new AlertRule.Transition(StockLevel.LOW, Optional.empty()));
        assertThat(rule.evaluate(StockLevel.IN_STOCK, 12, 10)).isEqualTo(new AlertRule.Transition(StockLevel.IN_STOCK, Optional.empty()));
    }

    @Test
    void aRestockFromZeroToStillLowIsNotNews() {
        assertThat(rule.evaluate(StockLevel.OUT, 5, 10)).isEqualTo(new AlertRule.Transition(StockLevel.LOW, Optional.empty()));
    }

    @Test
    void aRestockFromZeroToPlentyIsBackInStock() {
        assertThat(rule.evaluate(StockLevel.OUT, 50, 10).alert()).contains(AlertKind.BACK_IN_STOCK);
    }
}
