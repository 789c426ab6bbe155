package dev.omnistock.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.omnistock.events.InventoryPosition;
import dev.omnistock.events.OrderDecision;
import dev.omnistock.events.StockEvent;
import dev.omnistock.ingestion.api.IngestionApi;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import dev.omnistock.testsupport.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

    @Test
    void aKeyedRequestRetriedThroughTwoInstancesAndARestartIsAppliedOnce(RealStack stack, TestNamespace ns, @TempDir Path state)
            throws Exception {
        IngestionToInventory services = new IngestionToInventory(stack, ns);
        InventoryConfig config = services.inventoryConfig(ns.topic("inventory"), state);
        String keys = "WAREHOUSE:" + WMS_KEY + ",WEB:" + WEB_KEY;

        IngestionApi first = services.ingestion(keys);
        IngestionApi second = services.ingestion(keys);
        try (InventoryService service = new InventoryService(config)) {
            service.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> service.streams().state() == KafkaStreams.State.RUNNING);

            String count = "{\"sku\":\"SKU-R\",\"locationId\":\"DC\",\"onHand\":10}";
            assertThat(services.post(first, "/v1/stock/counts", WMS_KEY, "count-1", count).statusCode()).isEqualTo(202);
            String receipt = "{\"sku\":\"SKU-R\",\"locationId\":\"DC\",\"quantity\":5}";
            String order = "{\"orderId\":\"O-R\",\"currency\":\"EUR\",\"fulfillmentMethod\":\"SHIP_TO_HOME\","
                    + "\"lines\":[{\"lineId\":\"1\",\"sku\":\"SKU-R\",\"quantity\":4,\"unitPrice\":9.99}]}";
            String cancel = "{\"wholeOrder\":false,\"lines\":[{\"lineId\":\"1\",\"sku\":\"SKU-R\",\"quantity\":1}]}";
            for (IngestionApi api : List.of(first, second)) {
                assertThat(services.post(api, "/v1/stock/receipts", WMS_KEY, "receipt-1", receipt).statusCode()).isEqualTo(202);
                assertThat(services.post(api, "/v1/orders", WEB_KEY, "order-1", order).statusCode()).isEqualTo(202);
                assertThat(services.post(api, "/v1/orders/O-R/cancellations", WEB_KEY, "cancel-1", cancel).statusCode()).isEqualTo(202);
            }
            first.close();
            first = services.ingestion(keys);
            assertThat(services.post(first, "/v1/stock/receipts", WMS_KEY, "receipt-1", receipt).statusCode()).isEqualTo(202);
            assertThat(services.post(first, "/v1/orders/O-R/cancellations", WEB_KEY, "cancel-1", cancel).statusCode()).isEqualTo(202);

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
}
