package dev.omnistock.analytics.job;

import dev.omnistock.analytics.forecast.StockoutForecast;
import dev.omnistock.analytics.forecast.StockoutPrediction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/** Keyed by SKU: feeds each signal to the SKU's {@link StockoutForecast} and emits its predictions. */
final class StockoutForecastFunction extends KeyedProcessFunction<String, SkuSignal, StockoutPrediction> {

    private final StockoutForecast.Rule rule;
    private transient ValueState<StockoutForecast> forecast;

    StockoutForecastFunction(StockoutForecast.Rule rule) {
        this.rule = rule;
    }

    @Override
    public void open(OpenContext context) {
        forecast = getRuntimeContext().getState(new ValueStateDescriptor<>("stockout-forecast", StockoutForecast.class));
    }

    @Override
    public void processElement(SkuSignal signal, Context context, Collector<StockoutPrediction> out) throws Exception {
        StockoutForecast before = forecast.value() == null ? StockoutForecast.UNKNOWN : forecast.value();
        StockoutForecast.Applied applied = switch (signal.kind()) {
            case ORDERED -> before.onOrdered(signal.sku(), signal.at(), signal.units(), signal.eventId(), rule);
            case AVAILABLE -> before.onAvailable(signal.sku(), signal.at(), signal.available(), signal.eventId(), rule);
            case LEAD_TIME -> before.onLeadTime(signal.sku(), signal.at(), signal.leadTimeDays(), rule);
        };
        forecast.update(applied.forecast());
        applied.prediction().ifPresent(out::collect);
    }
}
