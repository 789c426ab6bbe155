package dev.omnistock.notify.persist;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The state topics' writer: an idempotent producer with acks=all, so records of one key land in the order sent. */
public final class KafkaStateWriter implements StateWriter, AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;

    /**
     * @param writeTimeout how long a caller waits for one write ({@link StateWrites}): the producer gives a record up
     *                     within it, so a write its caller gave up on (and may have written again since) never lands later
     *                     than that, undoing what was written after it
     */
    public KafkaStateWriter(Map<String, Object> kafka, Duration writeTimeout) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // send() waits this long at most for metadata; the callers retry and say so rather than hang in it.
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.putAll(deliveryBound(writeTimeout));
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * The producer settings that bound a record's life to {@code writeTimeout}: delivery.timeout.ms under the
     * write timeout, with request.timeout.ms plus linger.ms within it, as Kafka requires.
     */
    public static Map<String, Object> deliveryBound(Duration writeTimeout) {
        // A moment under the write timeout: the result is back (and its callback run) before the caller stops waiting.
        long delivery = Math.max(writeTimeout.toMillis() / 2, writeTimeout.minusSeconds(2).toMillis());
        long linger = 5;
        long request = Math.max(1, Math.min(Duration.ofSeconds(30).toMillis(), delivery / 2) - linger);
        return Map.of(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) delivery, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) request,
                ProducerConfig.LINGER_MS_CONFIG, (int) linger);
    }

    @Override
    public CompletableFuture<Long> send(String topic, String key, byte[] value) {
        CompletableFuture<Long> written = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
                if (error == null) {
                    written.complete(metadata.offset());
                } else {
                    written.completeExceptionally(error);
                }
            });
        } catch (RuntimeException e) {
            written.completeExceptionally(e);
        }
        return written;
    }

    @Override
    public void close() {
        producer.close();
    }
}
