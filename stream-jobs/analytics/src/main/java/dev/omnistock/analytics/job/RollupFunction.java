package dev.omnistock.analytics.job;

import dev.omnistock.analytics.demand.DemandRow;
import dev.omnistock.analytics.demand.DemandTotals;
import dev.omnistock.analytics.demand.Grain;
import dev.omnistock.analytics.demand.Rollup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by dimensions: rolls finer rows up into rows of a coarser grain ({@link Rollup}), emitting the
 * coarse row again whenever one of its finer rows changes. (Catching up on a backlog, an hour row then
 * changes with every minute; the sink writes only the last of them in each batch.) A coarse window's
 * state is dropped once no finer row can change any more (window end plus allowed lateness).
 */
final class RollupFunction extends KeyedProcessFunction<String, DemandRow, DemandRow> {

    private final Grain grain;
    private final Duration allowedLateness;
    /** The figures of each finer row as last counted, by the finer row's start. */
    private transient MapState<Long, DemandTotals> finer;
    /** Each open coarse window's figures, by its start. */
    private transient MapState<Long, DemandTotals> coarse;

    RollupFunction(Grain grain, Duration allowedLateness) {
        this.grain = grain;
        this.allowedLateness = allowedLateness;
    }

    @Override
    public void open(OpenContext context) {
        finer = getRuntimeContext().getMapState(new MapStateDescriptor<>("finer-totals", Types.LONG, Types.POJO(DemandTotals.class)));
        coarse = getRuntimeContext().getMapState(new MapStateDescriptor<>("coarse-totals", Types.LONG, Types.POJO(DemandTotals.class)));
    }

    @Override
    public void processElement(DemandRow row, Context context, Collector<DemandRow> out) throws Exception {
        long start = grain.start(row.windowStart());
        DemandTotals before = coarse.get(start);
        Optional<DemandTotals> after = Rollup.replace(before == null ? DemandTotals.NONE : before,
                Optional.ofNullable(finer.get(row.windowStart())), row.totals());
        if (after.isEmpty()) {
            return;
        }
        if (before == null) {
            context.timerService().registerEventTimeTimer(cleanupTime(start));
        }
        finer.put(row.windowStart(), row.totals());
        coarse.put(start, after.get());
        out.collect(new DemandRow(start, row.dimensions(), after.get()));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<DemandRow> out) throws Exception {
        List<Long> closed = new ArrayList<>();
        for (Long start : coarse.keys()) {
            if (cleanupTime(start) <= timestamp) {
                closed.add(start);
            }
        }
        for (Long start : closed) {
            coarse.remove(start);
            List<Long> finerStarts = new ArrayList<>();
            for (Map.Entry<Long, DemandTotals> entry : finer.entries()) {
                if (grain.start(entry.getKey()) == start) {
                    finerStarts.add(entry.getKey());
                }
            }
            for (Long finerStart : finerStarts) {
                finer.remove(finerStart);
            }
        }
    }

    private long cleanupTime(long coarseStart) {
        return coarseStart + grain.millis() + allowedLateness.toMillis() + 60_000;
    }
}
