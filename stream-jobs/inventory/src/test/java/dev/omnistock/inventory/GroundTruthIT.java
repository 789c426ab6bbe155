package dev.omnistock.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.omnistock.config.Config;
import dev.omnistock.events.InventoryPosition;
import dev.omnistock.generator.ApiSender;
import dev.omnistock.generator.GroundTruth;
import dev.omnistock.generator.Workload;
import dev.omnistock.ingestion.IngestionService;
import dev.omnistock.ingestion.api.IngestionApi;
import dev.omnistock.testsupport.FreePorts;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import dev.omnistock.testsupport.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
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
 * A generated workload with scarce stock (orders refused, cancelled in part, returned, till sales, retries
 * with one Idempotency-Key through a second ingestion instance) through the real ingestion API, broker and
 * inventory service: every SKU's network on_hand, committed and unavailable, and every order's decision,
 * end exactly where the generator's ground truth says.
 */
@ExtendWith(RealStackExtension.class)
class GroundTruthIT {

    private static final String KEYS = "WEB:web-gt,MOBILE_APP:app-gt,MARKETPLACE:mp-gt,STORE_POS:pos-gt,SOCIAL:social-gt,WAREHOUSE:wms-gt";

    @Test
    void theLedgerAndTheDecisionsEndExactlyAtTheGroundTruth(RealStack stack, TestNamespace ns, @TempDir Path state) throws Exception {
        Map<String, String> shared = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers(),
                "SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl(),
                "OMNISTOCK_TOPIC_PREFIX", ns.topicPrefix(),
                "OMNISTOCK_TOPIC_PARTITIONS", "3");
        Map<String, String> env = new HashMap<>(shared);
        env.putAll(Map.of("INVENTORY_APPLICATION_ID", ns.topic("inventory"), "INVENTORY_STATE_DIR", state.toString(),
                "INVENTORY_HTTP_PORT", Integer.toString(FreePorts.one())));
        InventoryConfig config = InventoryConfig.from(Config.of(env));
        Workload workload = new Workload(new Workload.Settings(40, 3, 2026, Workload.Mode.SCARCE,
                Instant.now().truncatedTo(ChronoUnit.MILLIS), 3));
        List<IngestionApi> apis = new ArrayList<>();
        try (InventoryService service = new InventoryService(config)) {
            service.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> service.streams().state() == KafkaStreams.State.RUNNING);
            for (int i = 0; i < 2; i++) {
                Map<String, String> api = new HashMap<>(shared);
                api.put("INGESTION_HTTP_PORT", Integer.toString(FreePorts.one()));
                api.put("INGESTION_API_KEYS", KEYS);
                apis.add(IngestionService.start(Config.of(api)));
            }
            // One request at a time: the truth of scarce stock depends on the order the events were made in.
            ApiSender.send(workload, 4_000, 0, apis.stream().map(a -> "http://127.0.0.1:" + a.port()).toList(), KEYS, 1);

            GroundTruth truth = workload.truth();
            assertThat(truth.decisions.values()).as("a scarce run refuses orders").contains("ACCEPTED", "REJECTED");
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                Map<String, InventoryPosition> latest = new HashMap<>();
                for (ConsumerRecord<String, InventoryPosition> r : TopicReader.readAll(stack.kafkaBootstrapServers(),
                        config.topics().inventoryAvailability().name(), Serdes.String().deserializer(),
                        config.topics().inventoryAvailability().valueSerde().deserializer())) {
                    latest.merge(r.key(), r.value(), (a, b) -> b.getVersion() > a.getVersion() ? b : a);
                }
                assertThat(latest.keySet()).containsExactlyInAnyOrderElementsOf(truth.positions.keySet());
                truth.positions.forEach((sku, expected) -> {
                    InventoryPosition actual = latest.get(sku);
                    assertThat(actual.getOnHand()).as("%s on_hand", sku).isEqualTo(expected.onHand);
                    assertThat(actual.getCommitted()).as("%s committed", sku).isEqualTo(expected.committed);
                    assertThat(actual.getUnavailable()).as("%s unavailable", sku).isEqualTo(expected.unavailable);
                });
                GroundTruthDecisions.assertMatch(stack.kafkaBootstrapServers(), config.topics().orderDecisions(), truth);
                GroundTruthDecisions.assertStatusTold(stack.kafkaBootstrapServers(), config.topics().orderStatus(), truth);
            });
        } finally {
            apis.forEach(IngestionApi::close);
        }
    }
}
