package dev.omnistock.analytics.job;

import dev.omnistock.analytics.demand.DemandDimensions;
import dev.omnistock.analytics.demand.DemandFact;
import dev.omnistock.analytics.demand.DemandRow;
import dev.omnistock.analytics.demand.DemandTotals;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Sums a window's facts as they arrive (one accumulator per key and window, no list of facts). */
final class DemandWindow {

    private DemandWindow() {
    }

    static final class Sum implements AggregateFunction<DemandFact, DemandTotals, DemandTotals> {
        @Override
        public DemandTotals createAccumulator() {
            return DemandTotals.NONE;
        }

        @Override
        public DemandTotals add(DemandFact fact, DemandTotals totals) {
            return totals.plus(fact);
        }

        @Override
        public DemandTotals getResult(DemandTotals totals) {
            return totals;
        }

        @Override
        public DemandTotals merge(DemandTotals a, DemandTotals b) {
            return a.plus(b);
        }
    }

    /** Names the row by its window start and dimensions. */
    static final class ToRow extends ProcessWindowFunction<DemandTotals, DemandRow, String, TimeWindow> {
        @Override
        public void process(String key, Context context, Iterable<DemandTotals> totals, Collector<DemandRow> out) {
            DemandDimensions dimensions = DemandDimensions.ofKey(key);
            for (DemandTotals total : totals) {
                out.collect(new DemandRow(context.window().getStart(), dimensions, total));
            }
        }
    }
}
