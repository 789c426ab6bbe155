package dev.omnistock.analytics.it;

import static dev.omnistock.analytics.it.Figures.DEMAND_TOTALS;
import static dev.omnistock.analytics.it.Figures.normalized;
import static dev.omnistock.analytics.it.Figures.totals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.omnistock.analytics.AnalyticsService;
import dev.omnistock.events.Channel;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.OrderLine;
import dev.omnistock.events.OrderPlaced;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kill the job after a checkpoint while rows written after it are already in ClickHouse, restart it
 * from that checkpoint: it replays those events and writes those rows again, and the totals stay exact.
 */
@ExtendWith(RealStackExtension.class)
class AnalyticsRestartIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final List<String> TABLES = List.of("demand_per_minute", "demand_per_hour", "demand_per_day");

    /**
     * 20 orders over five minutes from {@code start}, then a "clock" order ten minutes on in each of the
     * two partitions, which moves the watermark without waiting for a partition to count as idle.
     */
    private static List<OrderEvent> batch(String name, Instant start) {
        List<OrderEvent> orders = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            orders.add(Orders.placed(name + "-" + i, start.plusSeconds(15L * i), i % 2 == 0 ? Channel.WEB : Channel.MOBILE_APP,
                    "SKU-" + (i % 4), i % 3 + 1, "2.5000"));
        }
        orders.add(Orders.placed(name + "-clock-0", start.plusSeconds(600), Channel.WEB, "SKU-CLOCK", 1, "1.0000"));
        orders.add(Orders.placed(name + "-clock-1", start.plusSeconds(600), Channel.WEB, "SKU-CLOCK", 1, "1.0000"));
        return orders;
    }

    private static void send(AnalyticsStack stack, List<OrderEvent> orders) throws Exception {
        String topic = stack.config.topics().orders().name();
        for (OrderEvent order : orders) {
            if (order.getOrderId().contains("-clock-")) {
                int partition = Integer.parseInt(order.getOrderId().substring(order.getOrderId().length() - 1));
                stack.sendTo(topic, partition, order.getOrderId(), order);
            } else {
                stack.send(topic, order.getOrderId(), order);
            }
        }
    }

    /** Totals of the given orders: the expected figures, computed straight from the events. */
    private static List<String> expected(List<OrderEvent> orders) {
        long units = 0;
        BigDecimal revenue = BigDecimal.ZERO;
        for (OrderEvent order : orders) {
            for (OrderLine line : ((OrderPlaced) order.getPayload()).getLines()) {
                units += line.getQuantity();
                revenue = revenue.add(line.getUnitPrice().multiply(BigDecimal.valueOf(line.getQuantity())));
            }
        }
        return totals(units, orders.size(), revenue.toPlainString(), 0, 0, 0);
    }

    /** What has been written: every order but the last two clocks, whose minute is still open. */
    private static List<String> expectedAllButLastClock(List<OrderEvent> orders) {
        return expected(orders.subList(0, orders.size() - 2));
    }

    private static void awaitTotals(AnalyticsStack stack, List<String> expected) {
        for (String table : TABLES) {
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(normalized(stack.query(DEMAND_TOTALS.formatted(table)).get(0)))
                    .as(table).isEqualTo(expected));
        }
    }

    @Test
    void aJobKilledWithRowsWrittenAfterItsCheckpointResumesWithoutDoubleCounting(RealStack real, TestNamespace ns) throws Exception {
        List<OrderEvent> sent = new ArrayList<>();
        String checkpoint;
        try (AnalyticsStack stack = new AnalyticsStack(real, ns, Map.of());
             AnalyticsService.Embedded first = stack.start()) {
            List<OrderEvent> a = batch("a", T0);
            send(stack, a);
            sent.addAll(a);
            awaitTotals(stack, expectedAllButLastClock(sent));
            checkpoint = first.cluster().checkpoint(first.job());

            // After the checkpoint: these rows reach ClickHouse, but the checkpoint knows nothing of them.
            List<OrderEvent> b = batch("b", T0.plusSeconds(600));
            send(stack, b);
            sent.addAll(b);
            awaitTotals(stack, expectedAllButLastClock(sent));
        } // the job dies here, with no checkpoint after batch b

        try (AnalyticsStack stack = new AnalyticsStack(real, ns, Map.of("ANALYTICS_RESTORE_FROM", checkpoint));
             AnalyticsService.Embedded second = stack.start()) {
            // Batch b is replayed from Kafka and its rows are written again; c proves the job caught up.
            List<OrderEvent> c = batch("c", T0.plusSeconds(1_200));
            send(stack, c);
            sent.addAll(c);
            awaitTotals(stack, expectedAllButLastClock(sent));

            assertThat(stack.query("SELECT count() FROM demand_per_minute FINAL WHERE sku = 'SKU-CLOCK'"))
                    .containsExactly(List.of("2"));
            // Every minute of batch b was written twice (once per run); FINAL keeps one of each.
            assertThat(Long.parseLong(stack.query("SELECT count() FROM demand_per_minute").get(0).get(0)))
                    .isGreaterThanOrEqualTo(Long.parseLong(stack.query("SELECT count() FROM demand_per_minute FINAL").get(0).get(0)));
        }
    }
}
