package dev.omnistock.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnistock.config.KafkaConnection;
import dev.omnistock.ingestion.deadletters.DeadLetters;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import dev.omnistock.topics.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The dead-letter round trip on the real broker: a record lands there with its reason, is listed, and is replayed unchanged. */
@ExtendWith(RealStackExtension.class)
class DeadLettersIT {

    @Test
    void aDeadLetterIsListedWithItsReasonAndReplayedUnchangedToItsSource(RealStack stack, TestNamespace ns) throws Exception {
        List<String> topics = ns.createTopics(1, "dead-letter", "stock-movements");
        String deadLetterTopic = topics.get(0);
        String source = topics.get(1);
        byte[] original = "{\"sku\":\"SKU-1\",\"onHand\":5}".getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            // As the inventory service or Kafka Streams writes one: original bytes, reason and origin in headers.
            ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(deadLetterTopic, "SKU-1".getBytes(StandardCharsets.UTF_8), original);
            letter.headers().add(DeadLetterHeaders.EXCEPTION, "org.apache.kafka.common.errors.SerializationException".getBytes(StandardCharsets.UTF_8));
            letter.headers().add(DeadLetterHeaders.MESSAGE, "starts with byte 123, not the magic byte 0".getBytes(StandardCharsets.UTF_8));
            letter.headers().add(DeadLetterHeaders.TOPIC, source.getBytes(StandardCharsets.UTF_8));
            letter.headers().add(DeadLetterHeaders.PARTITION, "0".getBytes(StandardCharsets.UTF_8));
            letter.headers().add(DeadLetterHeaders.OFFSET, "41".getBytes(StandardCharsets.UTF_8));
            producer.send(letter).get();
        }
        DeadLetters deadLetters = new DeadLetters(KafkaConnection.plaintext(stack.kafkaBootstrapServers()), deadLetterTopic);

        List<DeadLetters.DeadLetter> listed = deadLetters.list(10);
        assertThat(listed).singleElement().satisfies(l -> {
            assertThat(l.reason()).contains("magic byte");
            assertThat(l.sourceTopic()).contains(source);
            assertThat(l.sourceOffset()).isEqualTo("41");
            assertThat(l.value()).isEqualTo(original);
        });

        assertThat(deadLetters.replay(List.of("0:" + listed.get(0).offset()))).isEqualTo(1);

        ConsumerRecord<byte[], byte[]> replayed = readOne(stack.kafkaBootstrapServers(), source);
        assertThat(replayed.value()).isEqualTo(original);
        assertThat(new String(replayed.key(), StandardCharsets.UTF_8)).isEqualTo("SKU-1");
        assertThat(new String(replayed.headers().lastHeader(DeadLetters.REPLAYED_FROM).value(), StandardCharsets.UTF_8))
                .isEqualTo(deadLetterTopic + "/0:" + listed.get(0).offset());
        assertThatThrownBy(() -> deadLetters.replay(List.of("0:999"))).hasMessageContaining("No dead letter at 0:999");
    }

    private static ConsumerRecord<byte[], byte[]> readOne(String bootstrap, String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        assertThat(records).as("the replayed record on %s within 30 s", topic).hasSize(1);
        return records.get(0);
    }
}
