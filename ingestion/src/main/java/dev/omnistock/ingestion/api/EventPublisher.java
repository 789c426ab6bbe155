package dev.omnistock.ingestion.api;

import dev.omnistock.config.KafkaConnection;
import dev.omnistock.serde.AvroSerializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes canonical events and says so only once the broker acknowledged them (acks=all, idempotent). */
final class EventPublisher implements AutoCloseable {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

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
            throw new ProblemException(503, "Not stored",
                    "Kafka did not acknowledge the event(s), so nothing is confirmed; retry with the same Idempotency-Key: "
                            + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()));
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
