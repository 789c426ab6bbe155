package dev.omnistock.generator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.omnistock.config.Config;
import dev.omnistock.config.KafkaConnection;
import dev.omnistock.config.SchemaRegistryConnection;
import dev.omnistock.serde.AvroSerializer;
import dev.omnistock.topics.Topics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends a generated workload at a target rate, straight to Kafka or through the ingestion API,
 * printing progress every second, and writes the ground truth when asked. Settings (environment,
 * defaults): GEN_SEED (42), GEN_SKUS (1000), GEN_LOCATIONS (8), GEN_EVENTS (100000), GEN_RATE
 * (events/s, 0 = as fast as possible; default 10000), GEN_MODE (deep: no order is ever refused;
 * scarce: every fourth SKU starts with a few units), GEN_START (the first event time, ISO-8601;
 * default now), GEN_TRUTH_FILE (none), GEN_TARGET (kafka or api), GEN_API_URL
 * (http://127.0.0.1:8080; several, comma-separated, to send retries to the others),
 * GEN_API_IN_FLIGHT (16; 1 keeps the generated order, which a scarce run's truth needs), GEN_API_KEYS
 * (secret: CHANNEL:key pairs, as the API's INGESTION_API_KEYS), GEN_OPENING_FULL_SPEED (false; true sends the
 * catalogue's opening counts as fast as possible, then the rest at GEN_RATE), plus the Kafka, registry and topic
 * settings of the README (OMNISTOCK_TOPIC_PARTITIONS tells a scarce run how orders are partitioned).
 */
public final class Generator {

    private Generator() {
    }

    public static void main(String[] args) throws Exception {
        Config config = Config.fromEnvironment();
        Workload workload = new Workload(new Workload.Settings(config.getInt("GEN_SKUS", 1_000), config.getInt("GEN_LOCATIONS", 8),
                config.getInt("GEN_SEED", 42), Workload.Mode.valueOf(config.get("GEN_MODE", "deep").toUpperCase(java.util.Locale.ROOT)),
                config.find("GEN_START").map(Instant::parse).orElse(Instant.now().truncatedTo(ChronoUnit.MILLIS)),
                config.getInt("OMNISTOCK_TOPIC_PARTITIONS", 6)));
        long events = config.getInt("GEN_EVENTS", 100_000);
        int rate = config.getInt("GEN_RATE", 10_000);
        if ("api".equals(config.get("GEN_TARGET", "kafka"))) {
            List<String> urls = List.of(config.get("GEN_API_URL", "http://127.0.0.1:8080").split(","));
            String keys = config.secret("GEN_API_KEYS").orElseThrow(() -> new IllegalArgumentException(
                    "GEN_API_KEYS is not set: the API keys per channel, e.g. WEB:k1,MOBILE_APP:k2,...,WAREHOUSE:k6"));
            int inFlight = config.getInt("GEN_API_IN_FLIGHT", 16);
            if (Boolean.parseBoolean(config.get("GEN_OPENING_FULL_SPEED", "false"))) {
                // The catalogue's opening counts (one per SKU and location) at once, so that a live-rate run has stock to sell from the start.
                long opening = Math.min(events, (long) config.getInt("GEN_SKUS", 1_000) * config.getInt("GEN_LOCATIONS", 8));
                ApiSender.send(workload, opening, 0, urls, keys, inFlight);
                events -= opening;
            }
            ApiSender.send(workload, events, rate, urls, keys, inFlight);
            config.find("GEN_TRUTH_FILE").ifPresent(file -> write(workload.truth(), Path.of(file)));
            return;
        }
        Topics topics = Topics.from(config);
        Map<String, Object> props = new HashMap<>(KafkaConnection.from(config).clientProperties());
        props.putAll(SchemaRegistryConnection.from(config).serdeConfig());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class);
        AtomicReference<Exception> failure = new AtomicReference<>();
        long started = System.nanoTime();
        long lastReport = started;
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(props)) {
            for (long i = 0; i < events; i++) {
                if (rate > 0) {
                    long due = started + i * TimeUnit.SECONDS.toNanos(1) / rate;
                    while (System.nanoTime() < due) {
                        Thread.onSpinWait();
                    }
                }
                Workload.Keyed next = workload.next();
                String topic = next.isOrder() ? topics.orders().name() : topics.stockMovements().name();
                producer.send(new ProducerRecord<>(topic, next.key(), (SpecificRecord) next.event()), (metadata, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                });
                if (failure.get() != null) {
                    throw new IllegalStateException("Kafka refused an event; stopping: " + failure.get().getMessage(), failure.get());
                }
                long now = System.nanoTime();
                if (now - lastReport >= TimeUnit.SECONDS.toNanos(1)) {
                    System.out.printf("sent %,d of %,d events, %,.0f events/s%n", i + 1, events, (i + 1) / ((now - started) / 1e9));
                    lastReport = now;
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("Kafka refused an event: " + failure.get().getMessage(), failure.get());
        }
        System.out.printf("sent %,d events in %.1f s (%,.0f events/s)%n", events, (System.nanoTime() - started) / 1e9,
                events / ((System.nanoTime() - started) / 1e9));
        config.find("GEN_TRUTH_FILE").ifPresent(file -> write(workload.truth(), Path.of(file)));
    }

    static void write(GroundTruth truth, Path file) {
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), truth);
            System.out.println("ground truth written to " + file);
        } catch (IOException e) {
            throw new IllegalStateException("Could not write the ground truth to " + file + ": " + e.getMessage(), e);
        }
    }
}
