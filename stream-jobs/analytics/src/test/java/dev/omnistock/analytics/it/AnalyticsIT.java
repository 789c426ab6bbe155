package dev.omnistock.analytics.it;

import static dev.omnistock.analytics.it.Figures.DEMAND_TOTALS;
import static dev.omnistock.analytics.it.Figures.normalized;
import static dev.omnistock.analytics.it.Figures.totals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.omnistock.analytics.AnalyticsService;
import dev.omnistock.events.Channel;
import dev.omnistock.events.OrderStatusChanged;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import dev.omnistock.testsupport.TopicReader;
import dev.omnistock.topics.DeadLetterHeaders;
import dev.omnistock.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The analytics job, embedded, on the real broker, registry and ClickHouse: a known set of events in,
 * exact totals out, in every table and through every query of the SQL pack.
 */
@ExtendWith(RealStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnalyticsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final long DAY_START = Instant.parse("2026-11-23T00:00:00Z").toEpochMilli();
    private static final long DAY_END = DAY_START + Duration.ofDays(1).toMillis();

    private AnalyticsStack stack;
    private AnalyticsService.Embedded job;
    private Topics topics;

    @BeforeAll
    void runTheJob(RealStack real, TestNamespace ns) throws Exception {
        stack = new AnalyticsStack(real, ns, Map.of());
        topics = stack.config.topics();
        sendKnownEvents(stack);

        job = stack.start();
        // Demand rows of 10:00-10:02 are final once the watermark has passed them.
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(normalized(stack.query(DEMAND_TOTALS.formatted("demand_per_minute")).get(0)))
                .isEqualTo(totals(6, 3, "55", 2, 3, 0)));
    }

    /** The events whose figures the tests know (AnalyticsOnClickHouseShardsIT sends them too). */
    static void sendKnownEvents(AnalyticsStack stack) throws Exception {
        Topics topics = stack.config.topics();
        String orders = topics.orders().name();
        stack.send(orders, "o1", Orders.placed("o1", T0.plusSeconds(10), Channel.WEB, "SKU-A", 2, "10.0000"));
        stack.send(orders, "o2", Orders.placed("o2", T0.plusSeconds(20), Channel.MOBILE_APP, "SKU-A", 3, "10.0000"));
        stack.send(orders, "o3", Orders.placed("o3", T0.plusSeconds(30), Channel.WEB, "SKU-B", 1, "5.0000"));
        stack.sendRaw(orders, "o4".getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8));
        stack.send(orders, "o1", Orders.cancelledWhole("o1", T0.plusSeconds(70), Channel.WEB));
        stack.send(orders, "o2", Orders.shipped("o2", T0.plusSeconds(130), "SKU-A", 3, "DC-1"));
        // Two hours later, in each partition: moves the watermark past every window above and its allowed
        // lateness, without waiting for a partition to count as idle.
        for (int partition = 0; partition < 2; partition++) {
            String clock = "o9-" + partition;
            stack.sendTo(orders, partition, clock, Orders.placed(clock, T0.plusSeconds(7_200), Channel.WEB, "SKU-C", 1, "1.0000"));
        }

        String availability = topics.inventoryAvailability().name();
        stack.send(availability, "SKU-A", Figures.position("SKU-A", 1, T0, 5, 10));
        stack.send(availability, "SKU-A", Figures.position("SKU-A", 2, T0.plusSeconds(60), 0, 10));
        stack.send(availability, "SKU-A", Figures.position("SKU-A", 3, T0.plusSeconds(240), 4, 10));
        stack.send(topics.inventoryAlerts().name(), "SKU-A", Figures.outOfStock("SKU-A", "STORE-1", T0.plusSeconds(60)));
        stack.send(topics.inventorySettings().name(), "SKU-A", Figures.leadTime("SKU-A", T0, 7));
        for (OrderStatusChanged change : Figures.statusChanges("o2", T0)) {
            stack.send(topics.orderStatus().name(), "o2", change);
        }
        stack.send(topics.notificationAttempts().name(), "a1|s1", Figures.attempt("a1|s1", 1, 503, T0.plusSeconds(61)));
        stack.send(topics.notificationAttempts().name(), "a1|s1", Figures.attempt("a1|s1", 2, 200, T0.plusSeconds(66)));
    }

    @AfterAll
    void stop() throws Exception {
        if (job != null) {
            job.close();
        }
        stack.close();
    }

    @Test
    void demandPerMinuteHourAndDayHoldExactlyTheEventsFigures() throws Exception {
        for (String table : List.of("demand_per_minute", "demand_per_hour", "demand_per_day")) {
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(normalized(stack.query(DEMAND_TOTALS.formatted(table)).get(0)))
                    .as(table).isEqualTo(totals(6, 3, "55", 2, 3, 0)));
        }
        assertThat(stack.query("""
                SELECT minute, sku, channel, location_id, currency, units_ordered, units_cancelled, units_shipped
                FROM demand_per_minute FINAL ORDER BY minute, sku, channel, location_id""")).containsExactly(
                List.of("2026-11-23 10:00:00", "SKU-A", "MOBILE_APP", "unassigned", "EUR", "3", "0", "0"),
                List.of("2026-11-23 10:00:00", "SKU-A", "WEB", "unassigned", "EUR", "2", "0", "0"),
                List.of("2026-11-23 10:00:00", "SKU-B", "WEB", "unassigned", "EUR", "1", "0", "0"),
                List.of("2026-11-23 10:01:00", "SKU-A", "WEB", "unassigned", "EUR", "0", "2", "0"),
                List.of("2026-11-23 10:02:00", "SKU-A", "MOBILE_APP", "DC-1", "EUR", "0", "0", "3"));
    }

    @Test
    void anOrderTooLateForItsMinuteIsCountedAsLateAndChangesNoDemandRow() throws Exception {
        stack.send(topics.orders().name(), "o7", Orders.placed("o7", T0.plusSeconds(5), Channel.WEB, "SKU-A", 9, "10.0000"));

        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(stack.pack("late_events", DAY_START, DAY_END))
                .containsExactly(List.of("2026-11-23 10:00:00", "1", "9", "0", "0", "0")));
        assertThat(normalized(stack.query(DEMAND_TOTALS.formatted("demand_per_minute")).get(0))).isEqualTo(totals(6, 3, "55", 2, 3, 0));
    }

    @Test
    void theTimelineKeepsEveryChangeAndTheStockOutMinutes() throws Exception {
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(stack.query("""
                SELECT location_id, version, available FROM availability_changes FINAL
                WHERE sku = 'SKU-A' ORDER BY location_id, version""")).containsExactly(
                List.of("*", "1", "15"), List.of("*", "2", "10"), List.of("*", "3", "14"),
                List.of("DC-1", "1", "10"),
                List.of("STORE-1", "1", "5"), List.of("STORE-1", "2", "0"), List.of("STORE-1", "3", "4")));
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(stack.pack("stockout_minutes", DAY_START, DAY_END))
                .containsExactly(List.of("SKU-A", "STORE-1", "3.0")));
    }

    @Test
    void theSqlPackAnswersFromTheWrittenTables() throws Exception {
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(stack.pack("top_sellers", DAY_START, DAY_END, 10)).containsExactly(
                List.of("SKU-A", "EUR", "3", "50.0000"), List.of("SKU-B", "EUR", "1", "5.0000")));
        assertThat(stack.pack("units_per_minute_by_channel", T0.toEpochMilli(), T0.plusSeconds(180).toEpochMilli())).containsExactly(
                List.of("2026-11-23 10:00:00", "MOBILE_APP", "3", "1"), List.of("2026-11-23 10:00:00", "WEB", "3", "2"),
                List.of("2026-11-23 10:01:00", "WEB", "0", "0"), List.of("2026-11-23 10:02:00", "MOBILE_APP", "0", "0"));
        // SKU-A: 3 shipped, 14 on hand now -> 3 / 17.
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(stack.pack("sell_through", DAY_START, DAY_END))
                .contains(List.of("SKU-A", "3", "14", "0.1765")));
    }

    @Test
    void orderStatusChangesAndTheDeliveryLogReachClickHouseAndTheFunnelQueryReadsThem() throws Exception {
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(stack.query(
                "SELECT sequence, placement, previous_status, status, units_shipped FROM order_status_changes FINAL WHERE order_id = 'o2' "
                        + "ORDER BY sequence"))
                // The placement is the change id's middle part (orderId/placement/sequence).
                .containsExactly(List.of("1", Figures.PLACEMENT, "", "PLACED", "0"), List.of("2", Figures.PLACEMENT, "PLACED", "ACCEPTED", "0"),
                        List.of("3", Figures.PLACEMENT, "ACCEPTED", "SHIPPED", "3")));
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(stack.query(
                "SELECT attempt, status_code, outcome FROM notification_attempts FINAL WHERE delivery_id = 'a1|s1' ORDER BY attempt"))
                .containsExactly(List.of("1", "503", "RETRYING"), List.of("2", "200", "DELIVERED")));
        // The dashboard's funnel: placed, accepted, shipped, and how long each step took.
        assertThat(stack.pack("fulfilment_funnel", DAY_START, DAY_END)).containsExactly(
                List.of("1", "1", "1", "60", "120"));
    }

    @Test
    void alertsAndPredictedStockOutsReachClickHouseAndUndecodableRecordsTheDeadLetterTopic() throws Exception {
        // The job's Kafka output is transactional: a checkpoint commits it.
        job.cluster().checkpoint(job.job());

        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(stack.query(
                "SELECT type, sku, location_id FROM inventory_alerts FINAL ORDER BY type")).containsExactly(
                List.of("OUT_OF_STOCK", "SKU-A", "STORE-1"), List.of("PREDICTED_STOCKOUT", "SKU-A", "*")));
        assertThat(stack.query("SELECT projected_stockout_at > event_time, threshold > available FROM inventory_alerts FINAL "
                + "WHERE type = 'PREDICTED_STOCKOUT'")).containsExactly(List.of("1", "1"));

        List<ConsumerRecord<byte[], byte[]>> dead = TopicReader.readAll(stack.config.kafka().bootstrapServers(),
                topics.deadLetters().name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        assertThat(dead).singleElement().satisfies(record -> {
            assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("not avro");
            assertThat(new String(record.headers().lastHeader(DeadLetterHeaders.TOPIC).value(), StandardCharsets.UTF_8))
                    .isEqualTo(topics.orders().name());
            assertThat(new String(record.headers().lastHeader(DeadLetterHeaders.MESSAGE).value(), StandardCharsets.UTF_8))
                    .isNotBlank();
        });
    }
}
