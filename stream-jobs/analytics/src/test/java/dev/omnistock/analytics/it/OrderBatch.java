package dev.omnistock.analytics.it;

import static dev.omnistock.analytics.it.Figures.DEMAND_TOTALS;
import static dev.omnistock.analytics.it.Figures.normalized;
import static dev.omnistock.analytics.it.Figures.totals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.omnistock.events.Channel;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.OrderLine;
import dev.omnistock.events.OrderPlaced;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Batches of placed orders for the tests that run the whole job, and the totals they must leave. */
final class OrderBatch {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final List<String> TABLES = List.of("demand_per_minute", "demand_per_hour", "demand_per_day");

    private OrderBatch() {
    }

    /**
     * 20 orders over five minutes from {@code start}, then a "clock" order ten minutes on in each of the
     * two partitions, which moves the watermark without waiting for a partition to count as idle.
     */
    static List<OrderEvent> of(String name, Instant start) {
        List<OrderEvent> orders = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            orders.add(Orders.placed(name + "-" + i, start.plusSeconds(15L * i), i % 2 == 0 ? Channel.WEB : Channel.MOBILE_APP,
                    "SKU-" + (i % 4), i % 3 + 1, "2.5000"));
        }
        orders.add(Orders.placed(name + "-clock-0", start.plusSeconds(600), Channel.WEB, "SKU-CLOCK", 1, "1.0000"));
        orders.add(Orders.placed(name + "-clock-1", start.plusSeconds(600), Channel.WEB, "SKU-CLOCK", 1, "1.0000"));
        return orders;
    }

    static void send(AnalyticsStack stack, List<OrderEvent> orders) throws Exception {
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

    /**
     * Totals of the orders, computed straight from the events, but for the last batch's two clocks,
     * whose minute is still open.
     */
    static List<String> expectedAllButLastClocks(List<OrderEvent> orders) {
        long units = 0;
        BigDecimal revenue = BigDecimal.ZERO;
        List<OrderEvent> written = orders.subList(0, orders.size() - 2);
        for (OrderEvent order : written) {
            for (OrderLine line : ((OrderPlaced) order.getPayload()).getLines()) {
                units += line.getQuantity();
                revenue = revenue.add(line.getUnitPrice().multiply(BigDecimal.valueOf(line.getQuantity())));
            }
        }
        return totals(units, written.size(), revenue.toPlainString(), 0, 0, 0);
    }

    /** Waits until the minute, hour and day tables each hold exactly the expected totals. */
    static void awaitTotals(AnalyticsStack stack, List<String> expected) {
        for (String table : TABLES) {
            // The late facts in the description tell a watermark that ran ahead from a job that stopped writing.
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(normalized(stack.query(DEMAND_TOTALS.formatted(table)).get(0)))
                    .as("%s (late facts so far: %s)", table, stack.query("SELECT count() FROM late_events").get(0).get(0))
                    .isEqualTo(expected));
        }
    }
}
