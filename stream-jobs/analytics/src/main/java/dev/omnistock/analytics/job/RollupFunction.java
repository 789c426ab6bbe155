package dev.omnistock.analytics.job;

import dev.omnistock.analytics.demand.DemandRow;
import dev.omnistock.analytics.demand.DemandTotals;
import dev.omnistock.analytics.demand.Grain;
import dev.omnistock.analytics.demand.Rollup;
import java.time.Duration;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by dimensions and coarse window: rolls finer rows up into the coarser grain ({@link Rollup}),
 * emitting the coarse row again whenever one of its finer rows changes. State is dropped once no finer
 * row can change any more (window end plus allowed lateness).
 */
final class RollupFunction extends KeyedProcessFunction<String, DemandRow, DemandRow> {

    private final Grain grain;
    private final Duration allowedLateness;
    private transient MapState<Long, DemandTotals> finer;
    private transient ValueState<DemandTotals> total;

    RollupFunction(Grain grain, Duration allowedLateness) {
        this.grain = grain;
        this.allowedLateness = allowedLateness;
    }

    static String key(DemandRow row, Grain grain) {
        return row.dimensions().key() + '\u001F' + grain.start(row.windowStart());
    }

    @Override
    public void open(OpenContext context) {
        finer = getRuntimeContext().getMapState(new MapStateDescriptor<>("finer-rows", Types.LONG, Types.POJO(DemandTotals.class)));
        total = getRuntimeContext().getState(new ValueStateDescriptor<>("rollup-total", DemandTotals.class));
    }

    @Override
    public void processElement(DemandRow row, Context context, Collector<DemandRow> out) throws Exception {
        long start = grain.start(row.windowStart());
        DemandTotals before = total.value();
        Optional<DemandTotals> after = Rollup.replace(before == null ? DemandTotals.NONE : before,
                Optional.ofNullable(finer.get(row.windowStart())), row.totals());
        if (after.isEmpty()) {
            return;
        }
        if (before == null) {
            context.timerService().registerEventTimeTimer(start + grain.millis() + allowedLateness.toMillis() + 60_000);
        }
        finer.put(row.windowStart(), row.totals());
        total.update(after.get());
        out.collect(new DemandRow(start, row.dimensions(), after.get()));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<DemandRow> out) {
        finer.clear();
        total.clear();
    }
}
