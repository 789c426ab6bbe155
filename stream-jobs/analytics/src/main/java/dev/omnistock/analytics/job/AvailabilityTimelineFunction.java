package dev.omnistock.analytics.job;

import dev.omnistock.analytics.timeline.AvailabilityChange;
import dev.omnistock.analytics.timeline.AvailabilityTimeline;
import dev.omnistock.analytics.timeline.PositionSnapshot;
import dev.omnistock.analytics.timeline.StockoutPeriod;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Keyed by SKU: availability changes out, stock-out periods to {@link #STOCKOUTS} ({@link AvailabilityTimeline}). */
final class AvailabilityTimelineFunction extends KeyedProcessFunction<String, PositionSnapshot, AvailabilityChange> {

    static final OutputTag<StockoutPeriod> STOCKOUTS = new OutputTag<>("stockouts") {
    };

    private transient ValueState<AvailabilityTimeline> timeline;

    @Override
    public void open(OpenContext context) {
        timeline = getRuntimeContext().getState(new ValueStateDescriptor<>("availability-timeline", AvailabilityTimeline.class));
    }

    @Override
    public void processElement(PositionSnapshot position, Context context, Collector<AvailabilityChange> out) throws Exception {
        AvailabilityTimeline before = timeline.value();
        AvailabilityTimeline.Applied applied = (before == null ? AvailabilityTimeline.EMPTY : before).apply(position);
        if (applied.timeline() != before) {
            timeline.update(applied.timeline());
        }
        applied.changes().forEach(out::collect);
        applied.stockouts().forEach(period -> context.output(STOCKOUTS, period));
    }
}
