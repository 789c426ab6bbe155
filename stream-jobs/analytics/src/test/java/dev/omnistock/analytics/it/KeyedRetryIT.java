package dev.omnistock.analytics.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.omnistock.analytics.AnalyticsService;
import dev.omnistock.config.Config;
import dev.omnistock.events.Channel;
import dev.omnistock.ingestion.IngestionService;
import dev.omnistock.ingestion.api.IngestionApi;
import dev.omnistock.testsupport.FreePorts;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An order placed with one Idempotency-Key through two ingestion instances, and again after one of them
 * restarted, reaches Kafka three times with one event id and three event times; ClickHouse counts it once.
 */
@ExtendWith(RealStackExtension.class)
class KeyedRetryIT {

    private static final String WEB_KEY = "web-retry-key";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aKeyedOrderRetriedThroughTwoInstancesAndARestartIsCountedOnce(RealStack real, TestNamespace ns) throws Exception {
        try (AnalyticsStack stack = new AnalyticsStack(real, ns, Map.of());
             AnalyticsService.Embedded job = stack.start()) {
            Map<String, String> env = new HashMap<>(stack.environment);
            env.put("INGESTION_API_KEYS", "WEB:" + WEB_KEY);
            IngestionApi first = ingestion(env);
            IngestionApi second = ingestion(env);
            String order = "{\"orderId\":\"O-KEYED\",\"currency\":\"EUR\",\"fulfillmentMethod\":\"SHIP_TO_HOME\","
                    + "\"lines\":[{\"lineId\":\"1\",\"sku\":\"SKU-KEYED\",\"quantity\":4,\"unitPrice\":2.50}]}";
            try {
                assertThat(post(first, order).statusCode()).isEqualTo(202);
                assertThat(post(second, order).statusCode()).isEqualTo(202);
                first.close();
                first = ingestion(env);
                assertThat(post(first, order).statusCode()).isEqualTo(202);
            } finally {
                first.close();
                second.close();
            }
            // Two hours on, in each partition: the watermark passes the order's minute.
            String orders = stack.config.topics().orders().name();
            Instant later = Instant.now().plus(Duration.ofHours(2));
            for (int partition = 0; partition < 2; partition++) {
                String clock = "O-CLOCK-" + partition;
                stack.sendTo(orders, partition, clock, Orders.placed(clock, later, Channel.WEB, "SKU-CLOCK", 1, "1.0000"));
            }

            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(stack.query("""
                    SELECT sum(units_ordered), sum(orders) FROM demand_per_minute FINAL WHERE sku = 'SKU-KEYED'"""))
                    .containsExactly(List.of("4", "1")));
        }
    }

    private static IngestionApi ingestion(Map<String, String> env) {
        Map<String, String> own = new HashMap<>(env);
        own.put("INGESTION_HTTP_PORT", Integer.toString(FreePorts.one()));
        return IngestionService.start(Config.of(own));
    }

    private HttpResponse<String> post(IngestionApi api, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/v1/orders"))
                .header("X-Api-Key", WEB_KEY).header("Idempotency-Key", "order-keyed-1").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
