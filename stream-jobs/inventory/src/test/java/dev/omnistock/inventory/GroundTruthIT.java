package dev.omnistock.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.omnistock.config.Config;
import dev.omnistock.events.InventoryPosition;
import dev.omnistock.ingestion.generator.GroundTruth;
import dev.omnistock.ingestion.generator.Workload;
import dev.omnistock.serde.AvroSerializer;
import dev.omnistock.testsupport.FreePorts;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import dev.omnistock.testsupport.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generated omnichannel workload through the real broker and the service: every SKU's network
 * on_hand, committed and unavailable end exactly where the generator's ground truth says.
 */
@ExtendWith(RealStackExtension.class)
class GroundTruthIT {

    @Test
    void theLedgerEndsExactlyAtTheGroundTruth(RealStack stack, TestNamespace ns, @TempDir Path state) throws Exception {
        InventoryConfig config = InventoryConfig.from(Config.of(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers(),
                "SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl(),
                "OMNISTOCK_TOPIC_PREFIX", ns.topicPrefix(),
                "OMNISTOCK_TOPIC_PARTITIONS", "3",
                "INVENTORY_APPLICATION_ID", ns.topic("inventory"),
                "INVENTORY_STATE_DIR", state.toString(),
                "INVENTORY_HTTP_PORT", Integer.toString(FreePorts.one()))));
        Workload workload = new Workload(40, 3, 2026);
        try (InventoryService service = new InventoryService(config)) {
            service.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> service.streams().state() == KafkaStreams.State.RUNNING);

            Map<String, Object> props = new HashMap<>(config.kafka().clientProperties());
            props.putAll(config.registryConfig());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class);
            try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(props)) {
                for (int i = 0; i < 6_000; i++) {
                    Workload.Keyed next = workload.next();
                    String topic = next.isOrder() ? config.topics().orders().name() : config.topics().stockMovements().name();
                    producer.send(new ProducerRecord<>(topic, next.key(), (SpecificRecord) next.event()));
                }
                producer.flush();
            }

            GroundTruth truth = workload.truth();
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
            });
        }
    }
}
