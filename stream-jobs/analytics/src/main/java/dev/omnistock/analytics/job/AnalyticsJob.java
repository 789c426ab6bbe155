package dev.omnistock.analytics.job;

import dev.omnistock.analytics.alerts.AlertRow;
import dev.omnistock.analytics.fulfilment.OrderStatusRow;
import dev.omnistock.analytics.notify.DeliveryAttemptRow;
import dev.omnistock.analytics.demand.DemandFact;
import dev.omnistock.analytics.demand.DemandRow;
import dev.omnistock.analytics.demand.OrderActivity;
import dev.omnistock.analytics.forecast.LeadTimeSetting;
import dev.omnistock.analytics.forecast.StockoutForecast;
import dev.omnistock.analytics.forecast.StockoutPrediction;
import dev.omnistock.analytics.kafka.DeadLetter;
import dev.omnistock.analytics.kafka.Decoded;
import dev.omnistock.analytics.timeline.AvailabilityChange;
import dev.omnistock.analytics.timeline.PositionSnapshot;
import dev.omnistock.analytics.timeline.StockoutPeriod;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;

/**
 * The demand analytics job. It takes its sources and sinks as arguments, so tests run this very job
 * on bounded sources and collecting sinks, and the service on Kafka and ClickHouse.
 *
 * <pre>
 * orders ──keyBy order──► order demand ──keyBy dims──► 1-min event-time windows ──► demand_per_minute
 *                              │                          │ late ► late_events        (hours and days: views over it)
 *                              └ units ordered ┐
 * availability ──keyBy SKU──► timeline ► availability_changes, stockout_periods
 *              └ network available ───────────┼──keyBy SKU──► stock-out forecast ► alerts topic
 * settings ── lead times ─────────────────────┘
 * alerts ► inventory_alerts                     undecodable records of every source ► dead-letter topic
 * order-status ► order_status_changes           notification-attempts ► notification_attempts
 * </pre>
 */
public final class AnalyticsJob {

    /**
     * The number of key groups every keyed state is split into, and so the highest parallelism the job
     * can ever run at. Set once for good: a checkpoint or savepoint restores only into the same number of
     * key groups, so changing it strands every saved state. 128 is what Flink chose by itself for every
     * earlier build of this job (parallelism below 86), so their checkpoints still restore.
     */
    public static final int MAX_PARALLELISM = 128;

    static final OutputTag<DemandFact> LATE_FACTS = new OutputTag<>("late-facts") {
    };

    public record Sources(
            Source<Decoded<OrderActivity>, ?, ?> orders,
            Source<Decoded<PositionSnapshot>, ?, ?> positions,
            Source<Decoded<AlertRow>, ?, ?> alerts,
            Source<Decoded<LeadTimeSetting>, ?, ?> settings,
            Source<Decoded<OrderStatusRow>, ?, ?> orderStatus,
            Source<Decoded<DeliveryAttemptRow>, ?, ?> deliveryAttempts) {
    }

    public record Sinks(
            Sink<DemandRow> minutes,
            Sink<DemandFact> lateEvents,
            Sink<AvailabilityChange> availabilityChanges,
            Sink<StockoutPeriod> stockouts,
            Sink<AlertRow> alerts,
            Sink<StockoutPrediction> predictions,
            Sink<OrderStatusRow> orderStatus,
            Sink<DeliveryAttemptRow> deliveryAttempts,
            Sink<DeadLetter> deadLetters) {
    }

    /**
     * @param outOfOrderness  how far behind the newest event an event may arrive and still be on time
     * @param idleness        a partition silent this long moves on with the wall clock (at most the allowed
     *                        lateness past its newest event), then stops holding the others back ({@link LiveWatermarks})
     * @param allowedLateness after its window fired, an event this late still corrects it; later ones
     *                        go to late_events
     * @param orderRetention  how long an order's history is kept for its cancels, shipments and returns
     */
    public record Settings(Duration outOfOrderness, Duration idleness, Duration allowedLateness,
                           Duration orderRetention, StockoutForecast.Rule forecast) {
    }

    private final Sources sources;
    private final Sinks sinks;
    private final Settings settings;

    public AnalyticsJob(Sources sources, Sinks sinks, Settings settings) {
        this.sources = sources;
        this.sinks = sinks;
        this.settings = settings;
    }

    /**
     * Every operator that keeps state has a uid of its own (sources: their Kafka offsets; keyed functions
     * and windows; sinks: rows not yet written, open transactions), so that a savepoint restores into the
     * same operators after the job's graph changed or its parallelism did.
     */
    public void build(StreamExecutionEnvironment env) {
        env.setMaxParallelism(MAX_PARALLELISM);
        Duration outOfOrderness = settings.outOfOrderness();
        Duration idleness = settings.idleness();
        Duration allowedLateness = settings.allowedLateness();
        WatermarkStrategy<Decoded<OrderActivity>> eventTime = WatermarkStrategy
                .<Decoded<OrderActivity>>forGenerator(context -> new LiveWatermarks<>(outOfOrderness, idleness, allowedLateness, System::currentTimeMillis))
                .withTimestampAssigner((decoded, kafkaTime) -> decoded.value() == null ? Long.MIN_VALUE : decoded.value().eventTime());
        SingleOutputStreamOperator<OrderActivity> orders = read(source(env, sources.orders(), eventTime, "orders"), "orders", OrderActivity.class);
        SingleOutputStreamOperator<PositionSnapshot> positions = read(
                source(env, sources.positions(), WatermarkStrategy.noWatermarks(), "availability"), "availability", PositionSnapshot.class);
        SingleOutputStreamOperator<AlertRow> alerts = read(
                source(env, sources.alerts(), WatermarkStrategy.noWatermarks(), "alerts"), "alerts", AlertRow.class);
        SingleOutputStreamOperator<LeadTimeSetting> leadTimes = read(
                source(env, sources.settings(), WatermarkStrategy.noWatermarks(), "settings"), "settings", LeadTimeSetting.class);

        DataStream<DemandFact> facts = orders
                .keyBy(OrderActivity::orderId)
                .process(new OrderDemandFunction(settings.orderRetention())).uid("order-demand").name("order demand");

        // Only minutes are written: ClickHouse rolls them up into hours and days when they are read.
        SingleOutputStreamOperator<DemandRow> minutes = minuteWindows(facts, settings.allowedLateness());
        minutes.sinkTo(sinks.minutes()).uid("demand-per-minute-sink").name("demand_per_minute");
        minutes.getSideOutput(LATE_FACTS).sinkTo(sinks.lateEvents()).uid("late-events-sink").name("late_events");

        SingleOutputStreamOperator<AvailabilityChange> changes = positions
                .keyBy(PositionSnapshot::sku)
                .process(new AvailabilityTimelineFunction()).uid("availability-timeline").name("availability timeline");
        changes.sinkTo(sinks.availabilityChanges()).uid("availability-changes-sink").name("availability_changes");
        changes.getSideOutput(AvailabilityTimelineFunction.STOCKOUTS).sinkTo(sinks.stockouts()).uid("stockouts-sink").name("stockout_periods");
        alerts.sinkTo(sinks.alerts()).uid("alerts-sink").name("inventory_alerts");

        DataStream<SkuSignal> signals = facts
                .filter(fact -> fact.unitsOrdered() > 0)
                .map(fact -> SkuSignal.ordered(fact.sku(), fact.eventTime(), fact.unitsOrdered(), eventIdOf(fact)))
                .union(positions.map(p -> SkuSignal.available(p.sku(), p.updatedAt(), p.networkAvailable(), p.causedByEventId())),
                        leadTimes.map(s -> SkuSignal.leadTime(s.sku(), s.at(), s.leadTimeDays())));
        signals.keyBy(SkuSignal::sku)
                .process(new StockoutForecastFunction(settings.forecast())).uid("stockout-forecast").name("stock-out forecast")
                .sinkTo(sinks.predictions()).uid("predictions-sink").name("predicted stock-outs");

        // Order status changes and the notifier's delivery attempts go to ClickHouse as they come.
        SingleOutputStreamOperator<OrderStatusRow> statusChanges = read(
                source(env, sources.orderStatus(), WatermarkStrategy.noWatermarks(), "order status"), "order-status", OrderStatusRow.class);
        statusChanges.sinkTo(sinks.orderStatus()).uid("order-status-sink").name("order_status_changes");
        SingleOutputStreamOperator<DeliveryAttemptRow> attempts = read(
                source(env, sources.deliveryAttempts(), WatermarkStrategy.noWatermarks(), "notification attempts"),
                "notification-attempts", DeliveryAttemptRow.class);
        attempts.sinkTo(sinks.deliveryAttempts()).uid("notification-attempts-sink").name("notification_attempts");

        orders.getSideOutput(SplitDecoded.DEAD_LETTERS)
                .union(positions.getSideOutput(SplitDecoded.DEAD_LETTERS), alerts.getSideOutput(SplitDecoded.DEAD_LETTERS),
                        leadTimes.getSideOutput(SplitDecoded.DEAD_LETTERS), statusChanges.getSideOutput(SplitDecoded.DEAD_LETTERS),
                        attempts.getSideOutput(SplitDecoded.DEAD_LETTERS))
                .sinkTo(sinks.deadLetters()).uid("dead-letters-sink").name("dead letters");
    }

    /** Demand per minute and dimensions, in event time; facts later than the allowed lateness go to {@link #LATE_FACTS}. */
    static SingleOutputStreamOperator<DemandRow> minuteWindows(DataStream<DemandFact> facts, Duration allowedLateness) {
        return facts
                .keyBy(fact -> fact.dimensions().key())
                .window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
                .allowedLateness(allowedLateness)
                .sideOutputLateData(LATE_FACTS)
                .aggregate(new DemandWindow.Sum(), new DemandWindow.ToRow())
                .uid("demand-per-minute").name("demand per minute");
    }

    private static <T> DataStream<Decoded<T>> source(StreamExecutionEnvironment env, Source<Decoded<T>, ?, ?> source,
                                                     WatermarkStrategy<Decoded<T>> watermarks, String name) {
        return env.fromSource(source, watermarks, name).uid("source-" + name.replace(' ', '-'));
    }

    private static <T> SingleOutputStreamOperator<T> read(DataStream<Decoded<T>> decoded, String name, Class<T> type) {
        return decoded.process(new SplitDecoded<T>()).returns(TypeInformation.of(type)).uid("read-" + name).name("read " + name);
    }

    private static String eventIdOf(DemandFact fact) {
        int slash = fact.factId().indexOf('/');
        return slash < 0 ? fact.factId() : fact.factId().substring(0, slash);
    }
}
