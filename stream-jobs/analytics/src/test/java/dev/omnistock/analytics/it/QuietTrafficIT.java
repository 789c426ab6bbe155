package dev.omnistock.analytics.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.omnistock.analytics.AnalyticsService;
import dev.omnistock.events.Channel;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Live traffic that stops: the last minute reaches ClickHouse within the idleness plus the out-of-orderness
 * after it ends, with no later event; an order of that minute read afterwards corrects it, once.
 */
@ExtendWith(RealStackExtension.class)
class QuietTrafficIT {

    private static final Duration IDLENESS = Duration.ofSeconds(2);
    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(1);

    @Test
    void theLastMinuteLandsWithoutALaterEventAndALateOrderCorrectsItOnce(RealStack real, TestNamespace ns) throws Exception {
        try (AnalyticsStack stack = new AnalyticsStack(real, ns, Map.of(
                "ANALYTICS_IDLENESS_MS", Long.toString(IDLENESS.toMillis()),
                "ANALYTICS_OUT_OF_ORDERNESS_MS", Long.toString(OUT_OF_ORDERNESS.toMillis()),
                "ANALYTICS_ALLOWED_LATENESS_MS", "120000"));
             AnalyticsService.Embedded job = stack.start()) {
            String orders = stack.config.topics().orders().name();
            Instant placedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            Instant minute = placedAt.truncatedTo(ChronoUnit.MINUTES);
            Instant minuteEnd = minute.plus(1, ChronoUnit.MINUTES);
            // Stamped as the ingestion API stamps them: now. Then nothing more on any partition.
            stack.send(orders, "q1", Orders.placed("q1", placedAt, Channel.WEB, "SKU-Q", 2, "4.0000"));

            String units = "SELECT toString(sum(units_ordered)) FROM demand_per_minute FINAL WHERE sku = 'SKU-Q' AND minute = toDateTime(?, 'UTC')";
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                    .until(() -> stack.query(units, minute.getEpochSecond()).equals(List.of(List.of("2"))));
            Duration afterEnd = Duration.between(minuteEnd, Instant.now());
            // Bound: idleness + out-of-orderness, plus the sink's batch delay and the checks' polling.
            assertThat(afterEnd).as("landed %s after the minute ended", afterEnd)
                    .isLessThan(IDLENESS.plus(OUT_OF_ORDERNESS).plusSeconds(10));

            // An order of that minute that comes in late (within the allowed lateness): its minute is
            // corrected to the sum, not written again beside the first figures, and nothing is counted as late.
            stack.send(orders, "q2", Orders.placed("q2", minute.plusSeconds(30), Channel.WEB, "SKU-Q", 3, "4.0000"));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> stack.query(units, minute.getEpochSecond()).equals(List.of(List.of("5"))));
            String hour = "SELECT toString(sum(units_ordered)) FROM demand_per_hour FINAL WHERE sku = 'SKU-Q'";
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> stack.query(hour).equals(List.of(List.of("5"))));
            assertThat(stack.query("SELECT toString(count()) FROM late_events WHERE sku = 'SKU-Q'")).containsExactly(List.of("0"));
        }
    }
}
