package dev.omnistock.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.omnistock.config.Config;
import dev.omnistock.events.InventoryPosition;
import dev.omnistock.events.OrderDecision;
import dev.omnistock.events.StockEvent;
import dev.omnistock.ingestion.IngestionService;
import dev.omnistock.ingestion.api.IngestionApi;
import dev.omnistock.testsupport.FreePorts;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import dev.omnistock.testsupport.TopicReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request retried with one Idempotency-Key through two ingestion instances, and again after one of
 * them restarted (so that neither remembers answering it), is published three times, each copy with
 * the same event id and its own event time, and the inventory service applies it once.
 */
@ExtendWith(RealStackExtension.class)
class KeyedRetryIT {

    private static final String WMS_KEY = "wms-retry-key";
    private static final String WEB_KEY = "web-retry-key";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aKeyedRequestRetriedThroughTwoInstancesAndARestartIsAppliedOnce(RealStack stack, TestNamespace ns, @TempDir Path state)
            throws Exception {
        Map<String, String> shared = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers(),
                "SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl(),
                "OMNISTOCK_TOPIC_PREFIX", ns.topicPrefix(),
                "OMNISTOCK_TOPIC_PARTITIONS", "2");
        Map<String, String> inventoryEnv = new HashMap<>(shared);
        inventoryEnv.putAll(Map.of("INVENTORY_APPLICATION_ID", ns.topic("inventory"), "INVENTORY_STATE_DIR", state.toString(),
                "INVENTORY_HTTP_PORT", Integer.toString(FreePorts.one())));
        InventoryConfig config = InventoryConfig.from(Config.of(inventoryEnv));

        IngestionApi first = ingestion(shared);
        IngestionApi second = ingestion(shared);
        try (InventoryService service = new InventoryService(config)) {
            service.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> service.streams().state() == KafkaStreams.State.RUNNING);

            String count = "{\"sku\":\"SKU-R\",\"locationId\":\"DC\",\"onHand\":10}";
            assertThat(post(first, "/v1/stock/counts", WMS_KEY, "count-1", count).statusCode()).isEqualTo(202);
            String receipt = "{\"sku\":\"SKU-R\",\"locationId\":\"DC\",\"quantity\":5}";
            String order = "{\"orderId\":\"O-R\",\"currency\":\"EUR\",\"fulfillmentMethod\":\"SHIP_TO_HOME\","
                    + "\"lines\":[{\"lineId\":\"1\",\"sku\":\"SKU-R\",\"quantity\":4,\"unitPrice\":9.99}]}";
            String cancel = "{\"wholeOrder\":false,\"lines\":[{\"lineId\":\"1\",\"sku\":\"SKU-R\",\"quantity\":1}]}";
            for (IngestionApi api : List.of(first, second)) {
                assertThat(post(api, "/v1/stock/receipts", WMS_KEY, "receipt-1", receipt).statusCode()).isEqualTo(202);
                assertThat(post(api, "/v1/orders", WEB_KEY, "order-1", order).statusCode()).isEqualTo(202);
                assertThat(post(api, "/v1/orders/O-R/cancellations", WEB_KEY, "cancel-1", cancel).statusCode()).isEqualTo(202);
            }
            first.close();
            first = ingestion(shared);
            assertThat(post(first, "/v1/stock/receipts", WMS_KEY, "receipt-1", receipt).statusCode()).isEqualTo(202);
            assertThat(post(first, "/v1/orders/O-R/cancellations", WEB_KEY, "cancel-1", cancel).statusCode()).isEqualTo(202);

            // The receipt really went out three times, with one id and different times: the retries were not absorbed upstream.
            List<StockEvent> receipts = TopicReader.readAll(stack.kafkaBootstrapServers(), config.topics().stockMovements().name(),
                            Serdes.String().deserializer(), config.topics().stockMovements().valueSerde().deserializer())
                    .stream().map(ConsumerRecord::value)
                    .filter(e -> e.getPayload() instanceof dev.omnistock.events.StockReceived).toList();
            assertThat(receipts).hasSize(3);
            assertThat(receipts.stream().map(StockEvent::getEventId).distinct()).hasSize(1);
            assertThat(receipts.stream().map(StockEvent::getEventTime).distinct()).hasSizeGreaterThan(1);

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                InventoryPosition latest = null;
                for (ConsumerRecord<String, InventoryPosition> r : TopicReader.readAll(stack.kafkaBootstrapServers(),
                        config.topics().inventoryAvailability().name(), Serdes.String().deserializer(),
                        config.topics().inventoryAvailability().valueSerde().deserializer())) {
                    if (latest == null || r.value().getVersion() > latest.getVersion()) {
                        latest = r.value();
                    }
                }
                assertThat(latest).isNotNull();
                assertThat(latest.getOnHand()).as("10 counted + 5 received once").isEqualTo(15);
                assertThat(latest.getCommitted()).as("4 reserved, 1 cancelled once").isEqualTo(3);
            });
            List<OrderDecision> decisions = TopicReader.readAll(stack.kafkaBootstrapServers(), config.topics().orderDecisions().name(),
                    Serdes.String().deserializer(), config.topics().orderDecisions().valueSerde().deserializer())
                    .stream().map(ConsumerRecord::value).toList();
            assertThat(decisions).singleElement().satisfies(d -> assertThat(d.getOrderId()).isEqualTo("O-R"));
        } finally {
            first.close();
            second.close();
        }
    }

    private static IngestionApi ingestion(Map<String, String> shared) {
        Map<String, String> env = new HashMap<>(shared);
        env.put("INGESTION_HTTP_PORT", Integer.toString(FreePorts.one()));
        env.put("INGESTION_API_KEYS", "WAREHOUSE:" + WMS_KEY + ",WEB:" + WEB_KEY);
        return IngestionService.start(Config.of(env));
    }

    private HttpResponse<String> post(IngestionApi api, String path, String apiKey, String idempotencyKey, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .header("X-Api-Key", apiKey).header("Idempotency-Key", idempotencyKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
