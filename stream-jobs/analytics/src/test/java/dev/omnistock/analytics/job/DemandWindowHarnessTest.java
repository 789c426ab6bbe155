package dev.omnistock.analytics.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnistock.analytics.demand.DemandFact;
import dev.omnistock.analytics.demand.DemandRow;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The job's own minute-window operator, driven watermark by watermark in Flink's test harness. */
class DemandWindowHarnessTest {

    private static final long T0 = Instant.parse("2026-11-23T10:00:00Z").toEpochMilli();
    private static final Duration LATENESS = Duration.ofMinutes(5);

    private KeyedOneInputStreamOperatorTestHarness<String, DemandFact, DemandRow> harness;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void openHarness() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        SingleOutputStreamOperator<DemandRow> minutes = AnalyticsJob.minuteWindows(
                env.fromData(fact("seed", T0, 1)), LATENESS);
        OneInputTransformation<DemandFact, DemandRow> window = (OneInputTransformation<DemandFact, DemandRow>) minutes.getTransformation();
        harness = new KeyedOneInputStreamOperatorTestHarness<>((OneInputStreamOperator<DemandFact, DemandRow>) window.getOperator(),
                fact -> fact.dimensions().key(), Types.STRING);
        harness.open();
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    private static DemandFact fact(String id, long at, long units) {
        return new DemandFact(id, at, "SKU-A", "WEB", "unassigned", "EUR", units, 1, new BigDecimal("10.0000").multiply(BigDecimal.valueOf(units)), 0, 0, 0);
    }

    private void send(DemandFact fact) throws Exception {
        harness.processElement(new StreamRecord<>(fact, fact.eventTime()));
    }

    private List<DemandRow> rows() {
        return harness.extractOutputValues();
    }

    @Test
    void aMinuteIsWrittenOnceTheWatermarkPassesItsEnd() throws Exception {
        send(fact("a", T0 + 1_000, 2));
        send(fact("b", T0 + 59_999, 3));
        harness.processWatermark(new Watermark(T0 + 59_998));
        assertThat(rows()).isEmpty();

        harness.processWatermark(new Watermark(T0 + 59_999));

        assertThat(rows()).singleElement().satisfies(row -> {
            assertThat(row.windowStart()).isEqualTo(T0);
            assertThat(row.totals().unitsOrdered()).isEqualTo(5);
            assertThat(row.totals().facts()).isEqualTo(2);
        });
    }

    @Test
    void aLateEventWithinTheAllowedLatenessCorrectsTheMinuteWithAHigherVersion() throws Exception {
        send(fact("a", T0 + 1_000, 2));
        harness.processWatermark(new Watermark(T0 + 120_000));

        send(fact("late", T0 + 30_000, 4));

        assertThat(rows()).extracting(row -> row.totals().unitsOrdered(), row -> row.totals().facts())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, 1L), org.assertj.core.groups.Tuple.tuple(6L, 2L));
        assertThat(harness.getSideOutput(AnalyticsJob.LATE_FACTS)).isNull();
    }

    @Test
    void anEventBeyondTheAllowedLatenessGoesToTheLateOutputAndChangesNothing() throws Exception {
        send(fact("a", T0 + 1_000, 2));
        harness.processWatermark(new Watermark(T0 + 60_000 + LATENESS.toMillis()));

        send(fact("too-late", T0 + 30_000, 4));

        assertThat(rows()).hasSize(1);
        assertThat(harness.getSideOutput(AnalyticsJob.LATE_FACTS)).extracting(r -> r.getValue().factId()).containsExactly("too-late");
    }
}
