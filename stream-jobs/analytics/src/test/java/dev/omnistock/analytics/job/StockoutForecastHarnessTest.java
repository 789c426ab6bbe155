package dev.omnistock.analytics.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnistock.analytics.forecast.StockoutForecast;
import dev.omnistock.analytics.forecast.StockoutPrediction;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The forecast operator with keyed state, including a restore from a snapshot, in Flink's test harness. */
class StockoutForecastHarnessTest {

    private static final long HOUR = 3_600_000L;
    private static final StockoutForecast.Rule RULE = new StockoutForecast.Rule(Duration.ofHours(24), 7, 0.2);

    private static KeyedOneInputStreamOperatorTestHarness<String, SkuSignal, StockoutPrediction> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new StockoutForecastFunction(RULE)),
                SkuSignal::sku, Types.STRING);
    }

    @Test
    void velocityBuiltBeforeARestoreStillDrivesThePredictionAfterIt() throws Exception {
        OperatorSubtaskState snapshot;
        try (var before = harness()) {
            before.open();
            before.processElement(new StreamRecord<>(SkuSignal.available("SKU-A", 0, 2_500, "p1"), 0));
            // 50 units an hour for 10 hours: the velocity climbs towards 50/h.
            for (int i = 0; i < 10; i++) {
                before.processElement(new StreamRecord<>(SkuSignal.ordered("SKU-A", i * HOUR, 50, "o" + i), i * HOUR));
            }
            before.processElement(new StreamRecord<>(SkuSignal.available("SKU-B", 0, 1_000, "p2"), 0));
            assertThat(before.extractOutputValues()).isEmpty();
            snapshot = before.snapshot(1, 10 * HOUR);
        }

        try (var after = harness()) {
            after.initializeState(snapshot);
            after.open();
            after.processElement(new StreamRecord<>(SkuSignal.available("SKU-A", 10 * HOUR, 1_500, "p3"), 10 * HOUR));
            after.processElement(new StreamRecord<>(SkuSignal.available("SKU-A", 10 * HOUR, 1_400, "p4"), 10 * HOUR));
            after.processElement(new StreamRecord<>(SkuSignal.available("SKU-B", 10 * HOUR, 5, "p5"), 10 * HOUR));

            // SKU-A: ~12 units/h after 10 h of 50/h with a 24 h half-life: 2,500 units lasted > 7 days,
            // 1,500 last ~5 days < 7 days.
            // One prediction only (edge-triggered); SKU-B has no demand, so none for it.
            assertThat(after.extractOutputValues()).singleElement().satisfies(p -> {
                assertThat(p.sku()).isEqualTo("SKU-A");
                assertThat(p.causedByEventId()).isEqualTo("p3");
                assertThat(p.available()).isEqualTo(1_500);
                assertThat(p.projectedStockoutAt()).isBetween(10 * HOUR + 3 * 24 * HOUR, 10 * HOUR + 7 * 24 * HOUR);
            });
        }
    }
}
