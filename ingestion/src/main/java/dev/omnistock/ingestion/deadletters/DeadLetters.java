package dev.omnistock.ingestion.deadletters;

import dev.omnistock.config.KafkaConnection;
import dev.omnistock.topics.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Reads the dead-letter topic and replays chosen records, once whatever made them fail is fixed:
 * the original key and value bytes go back to the topic they came from, unchanged.
 */
public final class DeadLetters {

    /** Marks a replayed record with the dead letter it came from. */
    public static final String REPLAYED_FROM = "omnistock.replayed-from";

    /** One dead letter: where it sits, where it came from, and why. */
    public record DeadLetter(int partition, long offset, String reason, String kind, Optional<String> sourceTopic,
                             String sourcePartition, String sourceOffset, byte[] key, byte[] value) {
    }

    private final KafkaConnection kafka;
    private final String topic;

    public DeadLetters(KafkaConnection kafka, String deadLetterTopic) {
        this.kafka = kafka;
        this.topic = deadLetterTopic;
    }

    /** Every dead letter on the topic now, oldest first per partition, at most {@code max}. */
    public List<DeadLetter> list(int max) {
        List<DeadLetter> letters = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (letters.size() < max && partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read " + topic + " to its end within 30 s: is Kafka reachable?");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (letters.size() < max) {
                        letters.add(letter(record));
                    }
                }
            }
        }
        return letters;
    }

    /** Replays the dead letters at these partition:offset positions to their source topics; returns how many. */
    public int replay(List<String> positions) {
        Map<String, DeadLetter> byPosition = new HashMap<>();
        for (DeadLetter letter : list(Integer.MAX_VALUE)) {
            byPosition.put(letter.partition() + ":" + letter.offset(), letter);
        }
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        int replayed = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String position : positions) {
                DeadLetter letter = byPosition.get(position.trim());
                if (letter == null) {
                    throw new IllegalArgumentException("No dead letter at " + position + " on " + topic + " (use partition:offset from 'list')");
                }
                String source = letter.sourceTopic().orElseThrow(() -> new IllegalArgumentException(
                        "The dead letter at " + position + " does not say which topic it came from; it cannot be replayed"));
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(source, letter.key(), letter.value());
                record.headers().add(REPLAYED_FROM, (topic + "/" + position).getBytes(StandardCharsets.UTF_8));
                producer.send(record).get();
                replayed++;
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka refused a replayed record: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while replaying", e);
        }
        return replayed;
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static DeadLetter letter(ConsumerRecord<byte[], byte[]> record) {
        return new DeadLetter(record.partition(), record.offset(),
                header(record, DeadLetterHeaders.MESSAGE).orElse("(no reason given)"),
                header(record, DeadLetterHeaders.EXCEPTION).orElse("?"),
                header(record, DeadLetterHeaders.TOPIC),
                header(record, DeadLetterHeaders.PARTITION).orElse("?"),
                header(record, DeadLetterHeaders.OFFSET).orElse("?"),
                record.key(), record.value());
    }

    private static Optional<String> header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? Optional.empty() : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }
}
