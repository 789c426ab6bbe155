package dev.omnistock.analytics.forecast;

import java.io.Serializable;
import java.time.Duration;
import java.util.Optional;

/**
 * Predicts a SKU's stock-out from its demand velocity and network availability: when the days of
 * cover (available / velocity) fall below the replenishment lead time, it predicts a stock-out once.
 * It predicts again only after the cover has recovered above the lead time plus a margin
 * (hysteresis), so a SKU hovering at the edge does not alert again and again. At zero available the
 * inventory service's OUT_OF_STOCK says it all; no prediction is made.
 *
 * @param available     network available; -1 until a position is seen
 * @param leadTimeDays  -1 until a setting is seen: the rule's default applies
 * @param predicted     a prediction was made and the cover has not recovered since
 */
public record StockoutForecast(DemandVelocity velocity, int available, int leadTimeDays, boolean predicted)
        implements Serializable {

    public static final StockoutForecast UNKNOWN = new StockoutForecast(DemandVelocity.NONE, -1, -1, false);

    /** How the forecast behaves. */
    public record Rule(Duration halfLife, int defaultLeadTimeDays, double recoveryMargin) implements Serializable {
        public Rule {
            if (halfLife.isNegative() || halfLife.isZero()) {
                throw new IllegalArgumentException("The velocity half-life must be positive, not " + halfLife);
            }
            if (defaultLeadTimeDays < 0 || recoveryMargin < 0) {
                throw new IllegalArgumentException("Lead time and recovery margin must not be negative");
            }
        }
    }

    public record Applied(StockoutForecast forecast, Optional<StockoutPrediction> prediction) {
    }

    public Applied onOrdered(String sku, long time, long units, String eventId, Rule rule) {
        StockoutForecast next = new StockoutForecast(velocity.withOrder(time, units, rule.halfLife()), available, leadTimeDays, predicted);
        return next.evaluate(sku, time, eventId, rule);
    }

    public Applied onAvailable(String sku, long time, int available, String eventId, Rule rule) {
        return new StockoutForecast(velocity, available, leadTimeDays, predicted).evaluate(sku, time, eventId, rule);
    }

    public Applied onLeadTime(String sku, long time, int leadTimeDays, Rule rule) {
        return new StockoutForecast(velocity, available, leadTimeDays, predicted).evaluate(sku, time, null, rule);
    }

    private Applied evaluate(String sku, long time, String eventId, Rule rule) {
        double perHour = velocity.unitsPerHourAt(time, rule.halfLife());
        int leadDays = leadTimeDays < 0 ? rule.defaultLeadTimeDays() : leadTimeDays;
        if (available <= 0 || perHour <= 0) {
            // Unknown or already out: nothing to predict. Zero demand means infinite cover: recovered.
            boolean stillPredicted = predicted && available == 0;
            return new Applied(new StockoutForecast(velocity, available, leadTimeDays, stillPredicted), Optional.empty());
        }
        double coverHours = available / perHour;
        double leadHours = leadDays * 24d;
        if (!predicted && coverHours < leadHours) {
            long projected = time + (long) (coverHours * 3_600_000d);
            int needed = (int) Math.ceil(perHour * leadHours);
            StockoutPrediction prediction = new StockoutPrediction(sku, time, available, perHour, leadDays, projected, needed, eventId);
            return new Applied(new StockoutForecast(velocity, available, leadTimeDays, true), Optional.of(prediction));
        }
        if (predicted && coverHours >= leadHours * (1 + rule.recoveryMargin())) {
            return new Applied(new StockoutForecast(velocity, available, leadTimeDays, false), Optional.empty());
        }
        return new Applied(this, Optional.empty());
    }
}
