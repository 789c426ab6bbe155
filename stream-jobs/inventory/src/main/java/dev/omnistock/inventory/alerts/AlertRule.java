package dev.omnistock.inventory.alerts;

import java.util.Optional;

/**
 * Edge-triggered low-stock alerting. An alert fires when the level changes, never while it stays:
 * LOW_STOCK when available falls to or below the threshold, OUT_OF_STOCK when it reaches zero,
 * BACK_IN_STOCK when it rises above threshold + hysteresis. Between threshold and threshold +
 * hysteresis the level stays what it was, so stock hovering at the threshold does not flap.
 */
public final class AlertRule {

    private final int hysteresis;

    public AlertRule(int hysteresis) {
        if (hysteresis < 0) {
            throw new IllegalArgumentException("hysteresis must be 0 or more, was " + hysteresis);
        }
        this.hysteresis = hysteresis;
    }

    public record Transition(StockLevel level, Optional<AlertKind> alert) {
    }

    public Transition evaluate(StockLevel previous, int available, int threshold) {
        if (available <= 0) {
            return to(previous, StockLevel.OUT, AlertKind.OUT_OF_STOCK);
        }
        if (available <= threshold) {
            // Coming back from zero to a still-low level is not news: no alert, but remember LOW.
            return previous == StockLevel.OUT
                    ? new Transition(StockLevel.LOW, Optional.empty())
                    : to(previous, StockLevel.LOW, AlertKind.LOW_STOCK);
        }
        if (available > threshold + hysteresis) {
            return to(previous, StockLevel.IN_STOCK, AlertKind.BACK_IN_STOCK);
        }
        return new Transition(previous, Optional.empty());
    }

    private static Transition to(StockLevel previous, StockLevel next, AlertKind alert) {
        return previous == next
                ? new Transition(previous, Optional.empty())
                : new Transition(next, Optional.of(alert));
    }
}
