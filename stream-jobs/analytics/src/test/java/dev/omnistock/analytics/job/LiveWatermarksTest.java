package dev.omnistock.analytics.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

class LiveWatermarksTest {

    private static final long T0 = 1_800_000_000_000L;
    private long now = T0;
    private final Output output = new Output();
    private final LiveWatermarks<String> watermarks = new LiveWatermarks<>(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofMinutes(5), () -> now);

    @Test
    void whileRecordsComeTheWatermarkTrailsTheNewestEventByTheOutOfOrderness() {
        watermarks.onEvent("a", T0, output);
        now += 1_000;
        watermarks.onEvent("b", T0 + 1_000, output);
        watermarks.onPeriodicEmit(output);
        assertThat(output.last()).isEqualTo(T0 + 1_000 - 10_000 - 1);
    }

    @Test
    void aCaughtUpPartitionThatFallsSilentMovesOnWithTheWallClock() {
        watermarks.onEvent("a", T0, output);
        now = T0 + 4_000;
        watermarks.onPeriodicEmit(output);
        assertThat(output.last()).as("not yet silent for 5 s").isEqualTo(T0 - 10_001);
        now = T0 + 5_000;
        watermarks.onPeriodicEmit(output);
        assertThat(output.last()).as("continuous where the clock takes over").isEqualTo(T0 - 10_001);
        now = T0 + 75_000;
        watermarks.onPeriodicEmit(output);
        // The minute [T0, T0 + 60 s) closes once the wall clock is 5 s (quiet) + 10 s (out-of-orderness) past its end.
        assertThat(output.last()).isEqualTo(T0 + 60_000 - 1);
        assertThat(output.idle).isFalse();
    }

    @Test
    void theClockMovesEventTimeLessThanTheAllowedLatenessPastTheNewestEventThenThePartitionIsIdle() {
        // Read ten minutes after it happened (a backlog), then silence: a record still on its way must stay
        // within the allowed lateness of its minute, so the clock stops short of it.
        now = T0 + 600_000;
        watermarks.onEvent("old", T0, output);
        now += 5_000 + 299_999;
        watermarks.onPeriodicEmit(output);
        assertThat(output.last()).isEqualTo(T0 + 299_999 - 10_000 - 1);
        assertThat(output.last()).isLessThan(T0 - 10_000 - 1 + 300_000);
        now += 1;
        watermarks.onPeriodicEmit(output);
        assertThat(output.idle).isTrue();
        watermarks.onEvent("next", T0 + 1_000, output);
        watermarks.onPeriodicEmit(output);
        assertThat(output.idle).as("active again with the next record").isFalse();
    }

    @Test
    void aPartitionWithNoRecordSinceTheStartOnlyStopsHoldingOthersBack() {
        now += 6_000;
        watermarks.onPeriodicEmit(output);
        assertThat(output.watermarks).isEmpty();
        assertThat(output.idle).isTrue();
    }

    @Test
    void anUnreadableRecordHasNoEventTimeToGoBy() {
        watermarks.onEvent("bad", Long.MIN_VALUE, output);
        now += 6_000;
        watermarks.onPeriodicEmit(output);
        assertThat(output.watermarks).isEmpty();
    }

    private static final class Output implements WatermarkOutput {
        final List<Long> watermarks = new ArrayList<>();
        boolean idle;

        @Override
        public void emitWatermark(Watermark watermark) {
            watermarks.add(watermark.getTimestamp());
            idle = false;
        }

        @Override
        public void markIdle() {
            idle = true;
        }

        @Override
        public void markActive() {
            idle = false;
        }

        long last() {
            return watermarks.get(watermarks.size() - 1);
        }
    }
}
