package dev.omnistock.analytics.job;

import dev.omnistock.analytics.demand.DemandFact;
import dev.omnistock.analytics.demand.OrderActivity;
import dev.omnistock.analytics.demand.OrderHistory;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/** Keyed by order: keeps each order's history and turns its events into demand facts ({@link OrderHistory}). */
final class OrderDemandFunction extends KeyedProcessFunction<String, OrderActivity, DemandFact> {

    private final Duration orderRetention;
    private transient ValueState<OrderHistory> history;

    OrderDemandFunction(Duration orderRetention) {
        this.orderRetention = orderRetention;
    }

    @Override
    public void open(OpenContext context) {
        ValueStateDescriptor<OrderHistory> descriptor = new ValueStateDescriptor<>("order-history", OrderHistory.class);
        // An order's events arrive within weeks; after that its history is forgotten, so state stays bounded.
        // One history checked per access (Flink's default is five): every order is read at least once
        // per event it gets, so expired histories are still swept faster than new ones arrive.
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(orderRetention)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .cleanupIncrementally(1, false).build());
        history = getRuntimeContext().getState(descriptor);
    }

    @Override
    public void processElement(OrderActivity event, Context context, Collector<DemandFact> out) throws Exception {
        OrderHistory before = history.value();
        OrderHistory.Applied applied = (before == null ? OrderHistory.UNSEEN : before).apply(event);
        if (applied.history() != before) {
            history.update(applied.history());
        }
        applied.facts().forEach(out::collect);
    }
}
