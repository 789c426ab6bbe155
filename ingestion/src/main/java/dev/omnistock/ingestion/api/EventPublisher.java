package dev.omnistock.ingestion.api;

import dev.omnistock.config.KafkaConnection;
import dev.omnistock.serde.AvroSerializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Publishes canonical events and says so only once the broker acknowledged them (acks=all, idempotent). */
final class EventPublisher implements AutoCloseable {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);

    private final KafkaProducer<String, SpecificRecord> producer;

    EventPublisher(KafkaConnection kafka, Map<String, Object> registryConfig) {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.putAll(registryConfig);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) ACK_TIMEOUT.toMillis() - 1_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class);
        // Registration happens up front (TopicProvisioner); an unknown schema here is a deployment error.
        props.put(AvroSerializer.AUTO_REGISTER_SCHEMAS, true);
        this.producer = new KafkaProducer<>(props);
    }

    record Message(String topic, String key, SpecificRecord value) {
    }

    /** Sends all, then waits for every acknowledgement; a failure means none may be reported accepted. */
    void publish(List<Message> messages) {
        List<CompletableFuture<Void>> acks = messages.stream().map(m -> {
            CompletableFuture<Void> ack = new CompletableFuture<>();
            producer.send(new ProducerRecord<>(m.topic(), m.key(), m.value()), (metadata, error) -> {
                if (error == null) {
                    ack.complete(null);
                } else {
                    ack.completeExceptionally(error);
                }
            });
            return ack;
        }).toList();
        try {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Kafka's text names brokers, topics and partitions: it goes to the log, the client gets its id.
            String errorId = UUID.randomUUID().toString();
            log.warn("Kafka did not acknowledge (error {})", errorId, e.getCause() == null ? e : e.getCause());
            throw new ProblemException(503, "Not stored", "Kafka did not acknowledge the event(s), so nothing is confirmed;"
                    + " retry with the same Idempotency-Key (error id " + errorId + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(503, "Interrupted", "Interrupted before Kafka acknowledged; retry");
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
