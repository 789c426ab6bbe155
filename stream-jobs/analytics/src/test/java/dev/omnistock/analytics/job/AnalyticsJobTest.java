package dev.omnistock.analytics.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnistock.analytics.alerts.AlertRow;
import dev.omnistock.analytics.fulfilment.OrderStatusRow;
import dev.omnistock.analytics.notify.DeliveryAttemptRow;
import dev.omnistock.analytics.demand.DemandFact;
import dev.omnistock.analytics.demand.DemandRow;
import dev.omnistock.analytics.demand.DemandTotals;
import dev.omnistock.analytics.demand.OrderActivity;
import dev.omnistock.analytics.demand.OrderActivityKind;
import dev.omnistock.analytics.demand.OrderActivityLine;
import dev.omnistock.analytics.forecast.LeadTimeSetting;
import dev.omnistock.analytics.forecast.StockoutForecast;
import dev.omnistock.analytics.forecast.StockoutPrediction;
import dev.omnistock.analytics.kafka.DeadLetter;
import dev.omnistock.analytics.kafka.Decoded;
import dev.omnistock.analytics.timeline.AvailabilityChange;
import dev.omnistock.analytics.timeline.LocationLevel;
import dev.omnistock.analytics.timeline.PositionSnapshot;
import dev.omnistock.analytics.timeline.StockoutPeriod;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamFilter;
import org.apache.flink.streaming.api.operators.StreamMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole job, in-process, on bounded sources and collecting sinks. Lateness needs the watermark to
 * move between two events, which a fast bounded source does not promise (watermarks are periodic):
 * {@link DemandWindowHarnessTest} and the integration test on the real broker cover it.
 */
class AnalyticsJobTest {

    static final long T0 = Instant.parse("2026-11-23T10:00:00Z").toEpochMilli();
    static final AnalyticsJob.Settings SETTINGS = new AnalyticsJob.Settings(Duration.ofSeconds(10), Duration.ofMinutes(1),
            Duration.ofMinutes(5), Duration.ofDays(30), new StockoutForecast.Rule(Duration.ofHours(24), 7, 0.2));

    static final CollectingSink<DemandRow> minutes = new CollectingSink<>();
    static final CollectingSink<DemandFact> late = new CollectingSink<>();

    static final CollectingSink<AvailabilityChange> changes = new CollectingSink<>();
    static final CollectingSink<StockoutPeriod> stockouts = new CollectingSink<>();
    static final CollectingSink<AlertRow> alerts = new CollectingSink<>();
    static final CollectingSink<StockoutPrediction> predictions = new CollectingSink<>();
    static final CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();
    static final CollectingSink<OrderStatusRow> statusChanges = new CollectingSink<>();
    static final CollectingSink<DeliveryAttemptRow> attempts = new CollectingSink<>();

    static OrderActivityLine line(String lineId, String sku, int quantity, String price) {
        return new OrderActivityLine(lineId, sku, quantity, price == null ? null : new BigDecimal(price));
    }

    static Decoded<OrderActivity> order(String eventId, String orderId, long at, String channel, OrderActivityKind kind,
                                        String location, boolean whole, OrderActivityLine... lines) {
        return new Decoded<>(new OrderActivity(eventId, orderId, at, channel, kind, kind == OrderActivityKind.PLACED ? "EUR" : null,
                location, whole, lines), null);
    }

    static Decoded<PositionSnapshot> position(long version, long at, int store, int dc) {
        return new Decoded<>(new PositionSnapshot("SKU-A", version, at, new LocationLevel[] {
                new LocationLevel("STORE-1", store, store, 0, 0), new LocationLevel("DC-1", dc, dc, 0, 0),
                new LocationLevel(LocationLevel.NETWORK, store + dc, store + dc, 0, 0)}, "p" + version), null);
    }

    @BeforeAll
    static void runJob() throws Exception {
        List<Decoded<OrderActivity>> orders = List.of(
                order("e1", "o1", T0 + 10_000, "WEB", OrderActivityKind.PLACED, null, false,
                        line("1", "SKU-A", 2, "10.0000"), line("2", "SKU-B", 1, "5.0000")),
                order("e2", "o2", T0 + 20_000, "MOBILE_APP", OrderActivityKind.PLACED, null, false, line("1", "SKU-A", 3, "10.0000")),
                new Decoded<>(null, new DeadLetter("orders", 0, 7, null, new byte[] {1, 2}, "SerializationException", "no magic byte")),
                order("e3", "o1", T0 + 70_000, "WEB", OrderActivityKind.CANCELLED, null, true),
                order("e4", "o2", T0 + 130_000, "WAREHOUSE", OrderActivityKind.SHIPPED, "DC-1", false, line("1", "SKU-A", 3, null)),
                order("e5", "o2", T0 + 200_000, "STORE_POS", OrderActivityKind.RETURNED, "STORE-1", false, line("1", "SKU-A", 1, null)),
                // Two hours on: the watermark passes every window above and their allowed lateness.
                order("e6", "o4", T0 + 7_200_000, "WEB", OrderActivityKind.PLACED, null, false, line("1", "SKU-C", 1, "1.0000")));
        List<Decoded<PositionSnapshot>> positions = List.of(
                position(1, T0, 5, 10), position(2, T0 + 60_000, 0, 10), position(3, T0 + 240_000, 4, 10));
        List<Decoded<AlertRow>> alertRows = List.of(new Decoded<>(
                new AlertRow("a1", T0 + 60_000, "SKU-A", "STORE-1", "OUT_OF_STOCK", 0, 2, 0, "p2"), null));
        List<Decoded<LeadTimeSetting>> settings = List.of(new Decoded<>(new LeadTimeSetting("SKU-A", T0, 7), null));
        List<Decoded<OrderStatusRow>> statusRows = List.of(
                new Decoded<>(new OrderStatusRow("o1", 1, T0, "WEB", "", "PLACED", "e1", 2, 0, 0, 0, 0, 0, 0, "e1"), null),
                new Decoded<>(new OrderStatusRow("o1", 2, T0 + 1_000, "WEB", "PLACED", "ACCEPTED", "e1/answer/1", 2, 2, 0, 0, 0, 0, 0, "e1"), null));
        List<Decoded<DeliveryAttemptRow>> attemptRows = List.of(new Decoded<>(
                new DeliveryAttemptRow("a1|s1", "s1", "a1", "inventory.alert.out_of_stock", "WEBHOOK", 1, T0 + 61_000, 200, 12, "DELIVERED", "", 0),
                null));

        AnalyticsJob job = new AnalyticsJob(
                new AnalyticsJob.Sources(
                        BoundedSource.of(orders, TypeInformation.of(new TypeHint<Decoded<OrderActivity>>() { })),
                        BoundedSource.of(positions, TypeInformation.of(new TypeHint<Decoded<PositionSnapshot>>() { })),
                        BoundedSource.of(alertRows, TypeInformation.of(new TypeHint<Decoded<AlertRow>>() { })),
                        BoundedSource.of(settings, TypeInformation.of(new TypeHint<Decoded<LeadTimeSetting>>() { })),
                        BoundedSource.of(statusRows, TypeInformation.of(new TypeHint<Decoded<OrderStatusRow>>() { })),
                        BoundedSource.of(attemptRows, TypeInformation.of(new TypeHint<Decoded<DeliveryAttemptRow>>() { }))),
                new AnalyticsJob.Sinks(minutes, late, changes, stockouts, alerts, predictions, statusChanges, attempts, deadLetters),
                SETTINGS);
        StreamExecutionEnvironment env = localFlink(1);
        job.build(env);
        env.execute("analytics-job-test");
    }

    static StreamExecutionEnvironment localFlink(int parallelism) {
        Configuration conf = new Configuration();
        conf.set(CoreOptions.TMP_DIRS, Path.of("target", "flink-tmp").toAbsolutePath().toString());
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_PORT, "0");
        // Every type on the wire has a Flink serializer of its own: no Kryo fallback.
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        return StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
    }

    /** What ReplacingMergeTree keeps: per window and dimensions, the row with the highest version. */
    static Map<String, DemandTotals> latest(List<DemandRow> rows) {
        BinaryOperator<DemandTotals> newest = (a, b) -> a.facts() >= b.facts() ? a : b;
        return rows.stream().collect(Collectors.toMap(
                r -> Instant.ofEpochMilli(r.windowStart()) + " " + r.dimensions().sku() + " " + r.dimensions().channel()
                        + " " + r.dimensions().locationId() + " " + r.dimensions().currency(),
                DemandRow::totals, newest));
    }

    static DemandTotals totals(long ordered, long orders, String revenue, long cancelled, long shipped, long returned, long facts) {
        return new DemandTotals(ordered, orders, new BigDecimal(revenue), cancelled, shipped, returned, facts);
    }

    @Test
    void minutesCountEachKindOfDemandWhereAndWhenItHappened() {
        assertThat(latest(minutes.received())).containsOnly(
                Map.entry("2026-11-23T10:00:00Z SKU-A WEB unassigned EUR", totals(2, 1, "20.0000", 0, 0, 0, 1)),
                Map.entry("2026-11-23T10:00:00Z SKU-B WEB unassigned EUR", totals(1, 1, "5.0000", 0, 0, 0, 1)),
                Map.entry("2026-11-23T10:00:00Z SKU-A MOBILE_APP unassigned EUR", totals(3, 1, "30.0000", 0, 0, 0, 1)),
                Map.entry("2026-11-23T10:01:00Z SKU-A WEB unassigned EUR", totals(0, 0, "0.0000", 2, 0, 0, 1)),
                Map.entry("2026-11-23T10:01:00Z SKU-B WEB unassigned EUR", totals(0, 0, "0.0000", 1, 0, 0, 1)),
                Map.entry("2026-11-23T10:02:00Z SKU-A MOBILE_APP DC-1 EUR", totals(0, 0, "0.0000", 0, 3, 0, 1)),
                Map.entry("2026-11-23T10:03:00Z SKU-A MOBILE_APP STORE-1 EUR", totals(0, 0, "0.0000", 0, 0, 1, 1)),
                Map.entry("2026-11-23T12:00:00Z SKU-C WEB unassigned EUR", totals(1, 1, "1.0000", 0, 0, 0, 1)));
    }

    @Test
    void theTimelineRecordsChangesAndStockOuts() {
        assertThat(changes.received()).filteredOn(c -> c.locationId().equals("STORE-1"))
                .extracting(AvailabilityChange::available).containsExactly(5, 0, 4);
        assertThat(changes.received()).filteredOn(c -> c.locationId().equals("DC-1")).hasSize(1);
        assertThat(stockouts.received()).containsExactly(
                new StockoutPeriod("SKU-A", "STORE-1", T0 + 60_000, 0),
                new StockoutPeriod("SKU-A", "STORE-1", T0 + 60_000, T0 + 240_000));
    }

    @Test
    void alertsPassThroughAndAStockOutIsPredictedForTheSkuInDemand() {
        assertThat(alerts.received()).extracting(AlertRow::alertId).containsExactly("a1");
        assertThat(predictions.received()).isNotEmpty().allSatisfy(p -> {
            assertThat(p.sku()).isEqualTo("SKU-A");
            assertThat(p.projectedStockoutAt()).isGreaterThan(p.at());
        });
    }

    @Test
    void orderStatusChangesAndDeliveryAttemptsPassThrough() {
        assertThat(statusChanges.received()).extracting(OrderStatusRow::status).containsExactlyInAnyOrder("PLACED", "ACCEPTED");
        assertThat(attempts.received()).extracting(DeliveryAttemptRow::deliveryId).containsExactly("a1|s1");
    }

    @Test
    void everyOperatorThatKeepsStateHasItsOwnUidAndTheKeyGroupsAreFixed() {
        AnalyticsJob job = new AnalyticsJob(
                new AnalyticsJob.Sources(
                        BoundedSource.of(List.of(), TypeInformation.of(new TypeHint<Decoded<OrderActivity>>() { })),
                        BoundedSource.of(List.of(), TypeInformation.of(new TypeHint<Decoded<PositionSnapshot>>() { })),
                        BoundedSource.of(List.of(), TypeInformation.of(new TypeHint<Decoded<AlertRow>>() { })),
                        BoundedSource.of(List.of(), TypeInformation.of(new TypeHint<Decoded<LeadTimeSetting>>() { })),
                        BoundedSource.of(List.of(), TypeInformation.of(new TypeHint<Decoded<OrderStatusRow>>() { })),
                        BoundedSource.of(List.of(), TypeInformation.of(new TypeHint<Decoded<DeliveryAttemptRow>>() { }))),
                new AnalyticsJob.Sinks(minutes, late, changes, stockouts, alerts, predictions, statusChanges, attempts, deadLetters),
                SETTINGS);
        StreamExecutionEnvironment env = localFlink(3);
        job.build(env);
        StreamGraph graph = env.getStreamGraph();

        List<String> withoutUid = graph.getStreamNodes().stream()
                .filter(node -> !(node.getOperatorFactory() instanceof SimpleOperatorFactory<?> simple
                        && (simple.getOperator() instanceof StreamMap<?, ?> || simple.getOperator() instanceof StreamFilter<?>)))
                .filter(node -> node.getTransformationUID() == null)
                .map(StreamNode::getOperatorName).toList();
        assertThat(withoutUid).as("operators that may keep state, without a uid").isEmpty();
        assertThat(graph.getStreamNodes()).extracting(StreamNode::getMaxParallelism).containsOnly(AnalyticsJob.MAX_PARALLELISM);
    }

    @Test
    void undecodableRecordsBecomeDeadLetters() {
        assertThat(deadLetters.received()).extracting(DeadLetter::offset).containsExactly(7L);
    }
}
