package dev.omnistock.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.omnistock.config.Config;
import dev.omnistock.config.KafkaConnection;
import dev.omnistock.events.Channel;
import dev.omnistock.events.CountType;
import dev.omnistock.events.StockCounted;
import dev.omnistock.events.StockEvent;
import dev.omnistock.ingestion.deadletters.DeadLetters;
import dev.omnistock.ingestion.gate.GateService;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import dev.omnistock.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Records from another producer through the gate on the real broker: good ones on, bad ones dead-lettered, listed and replayed. */
@ExtendWith(RealStackExtension.class)
class GateRoundTripIT {

    @Test
    void badRecordsAreDeadLetteredListedAndReplayedThroughTheGate(RealStack stack, TestNamespace ns, @TempDir Path state) throws Exception {
        Config config = Config.of(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers(),
                "SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl(),
                "OMNISTOCK_TOPIC_PREFIX", ns.topicPrefix(),
                "OMNISTOCK_TOPIC_PARTITIONS", "1",
                "GATE_APPLICATION_ID", ns.topic("gate"),
                "GATE_STATE_DIR", state.toString()));
        Topics topics = Topics.from(config);
        try (GateService gate = new GateService(config).start()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> gate.streams().state() == KafkaStreams.State.RUNNING);
            var serializer = topics.stockMovements().valueSerde().serializer();
            byte[] good = serializer.serialize(topics.rawStockMovements().name(), count("SKU-1", 5));
            byte[] negative = serializer.serialize(topics.rawStockMovements().name(), count("SKU-2", -1));
            byte[] garbage = "SKU-3,7".getBytes(StandardCharsets.UTF_8);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(topics.rawStockMovements().name(), bytes("SKU-1"), good)).get();
                producer.send(new ProducerRecord<>(topics.rawStockMovements().name(), bytes("SKU-2"), negative)).get();
                producer.send(new ProducerRecord<>(topics.rawStockMovements().name(), bytes("SKU-3"), garbage)).get();
            }

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(values(stack, topics.stockMovements().name())).singleElement().isEqualTo(good));
            DeadLetters deadLetters = new DeadLetters(KafkaConnection.plaintext(stack.kafkaBootstrapServers()), topics.deadLetters().name());
            await().atMost(Duration.ofSeconds(60)).until(() -> deadLetters.list(10).size() == 2);
            List<DeadLetters.DeadLetter> letters = deadLetters.list(10);
            assertThat(letters).extracting(DeadLetters.DeadLetter::reason)
                    .anySatisfy(r -> assertThat(r).contains("a count cannot be negative"))
                    .anySatisfy(r -> assertThat(r).contains("magic byte"));
            assertThat(letters).allSatisfy(l -> assertThat(l.sourceTopic()).contains(topics.rawStockMovements().name()));

            // Replayed, the record goes through the gate again; still impossible, it comes back with its reason.
            DeadLetters.DeadLetter negativeLetter = letters.stream().filter(l -> l.reason().contains("negative")).findFirst().orElseThrow();
            deadLetters.replay(List.of(negativeLetter.partition() + ":" + negativeLetter.offset()));
            await().atMost(Duration.ofSeconds(60)).until(() -> deadLetters.list(10).size() == 3);
            assertThat(deadLetters.list(10).get(2).value()).isEqualTo(negative);
        }
    }

    private static StockEvent count(String sku, int onHand) {
        return StockEvent.newBuilder().setEventId(UUID.randomUUID()).setEventTime(Instant.now()).setChannel(Channel.WAREHOUSE)
                .setSourceSystem("legacy-wms").setSku(sku).setLocationId("DC").setPayload(new StockCounted(onHand, CountType.WMS_SNAPSHOT)).build();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<byte[]> values(RealStack stack, String topic) {
        List<byte[]> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", stack.kafkaBootstrapServers(),
                "isolation.level", "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}
