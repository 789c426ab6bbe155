package dev.omnistock.inventory;

import dev.omnistock.config.Config;
import dev.omnistock.config.KafkaConnection;
import dev.omnistock.config.SchemaRegistryConnection;
import dev.omnistock.inventory.alerts.AlertRule;
import dev.omnistock.inventory.ledger.InventoryRules;
import dev.omnistock.inventory.sourcing.SourcingPolicy;
import dev.omnistock.inventory.topology.InventoryTopology;
import dev.omnistock.inventory.topology.StoreTuning;
import dev.omnistock.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/** The inventory service's settings, from the environment (see the README's configuration table). */
public record InventoryConfig(
        KafkaConnection kafka,
        Map<String, Object> registryConfig,
        Topics topics,
        String applicationId,
        Path stateDir,
        InventoryRules rules,
        boolean partialOrders,
        Duration reservationExpiry,
        Duration dedupeRetention,
        int streamThreads,
        int commitIntervalMs,
        int producerLingerMs,
        long cacheMaxBytes,
        int decodedValuesMax,
        int feedMaxPendingChars,
        Duration feedHeartbeat,
        String httpHost,
        int httpPort,
        String advertisedHost,
        Optional<String> groupInstanceId) {

    public static InventoryConfig from(Config config) {
        Map<String, Object> registry = SchemaRegistryConnection.from(config).serdeConfig();
        List<String> priority = Arrays.stream(config.get("INVENTORY_LOCATION_PRIORITY", "").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        InventoryRules rules = new InventoryRules(
                new SourcingPolicy(priority, Boolean.parseBoolean(config.get("INVENTORY_SPLIT_LINES", "false"))),
                new AlertRule(config.getInt("INVENTORY_ALERT_HYSTERESIS", 2)),
                config.getInt("INVENTORY_DEFAULT_LOW_STOCK_THRESHOLD", 5),
                Duration.ofHours(config.getInt("INVENTORY_INBOUND_EXPIRY_HOURS", 14 * 24)));
        return new InventoryConfig(
                KafkaConnection.from(config),
                registry,
                Topics.from(config),
                config.get("INVENTORY_APPLICATION_ID", "omnistock-inventory"),
                Path.of(config.get("INVENTORY_STATE_DIR", "state/inventory")).toAbsolutePath(),
                rules,
                Boolean.parseBoolean(config.get("INVENTORY_PARTIAL_ORDERS", "false")),
                Duration.ofHours(config.getInt("INVENTORY_RESERVATION_EXPIRY_HOURS", 7 * 24)),
                Duration.ofHours(config.getInt("INVENTORY_DEDUPE_RETENTION_HOURS", 24)),
                config.getInt("INVENTORY_STREAM_THREADS", 1),
                config.getInt("INVENTORY_COMMIT_INTERVAL_MS", 300),
                config.getInt("INVENTORY_PRODUCER_LINGER_MS", 5),
                config.getInt("INVENTORY_CACHE_MAX_MB", 128) * 1024L * 1024L,
                config.getInt("INVENTORY_DECODED_VALUES_MAX", 10_000),
                config.getInt("INVENTORY_FEED_MAX_PENDING_KB", 8 * 1024) * 1024,
                Duration.ofMillis(config.getInt("INVENTORY_FEED_HEARTBEAT_MS", 15_000)),
                config.get("INVENTORY_HTTP_HOST", "127.0.0.1"),
                config.getInt("INVENTORY_HTTP_PORT", 8090),
                config.get("INVENTORY_ADVERTISED_HOST", config.get("INVENTORY_HTTP_HOST", "127.0.0.1")),
                config.find("INVENTORY_GROUP_INSTANCE_ID").filter(id -> !id.isBlank()));
    }

    public InventoryTopology topology() {
        return new InventoryTopology(topics, rules, partialOrders, reservationExpiry, dedupeRetention, decodedValuesMax, registryConfig);
    }

    public Properties streamsProperties() {
        Properties props = new Properties();
        props.putAll(kafka.clientProperties());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
        // Kafka Streams lingers 100 ms; the availability feed reads changes as they are sent, so send them sooner.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), producerLingerMs);
        // Big enough that entries leave the store caches at a commit, not one by one when the cache is full.
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, cacheMaxBytes);
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, StoreTuning.class);
        // A task takes its partitions' records in timestamp order, fetching a partition it knows has data
        // before moving past it (0, not -1). The rules do depend on the order of two topics: a reservation
        // is decided against the stock counted so far, so an order processed ahead of an earlier count is
        // refused. Without waiting, a backlog (a restart after a crash) let orders overtake the counts
        // that came before them, and the ledger ended far from the truth (HardKillIT).
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 0L);
        // On 2 cores shared with the broker a second thread gave 12 % more (docs/benchmarks.md); more cores, more threads.
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        // A record that cannot be read goes to the dead-letter topic with the reason; the service goes on.
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics.deadLetters().name());
        // Static membership: an instance restarted under the same id takes its tasks back at once, instead of
        // waiting out the session timeout of the member it replaces (Streams adds the thread's number).
        groupInstanceId.ifPresent(id -> props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
        // Where other instances reach this one's API, for SKUs this instance hosts.
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, advertisedHost + ":" + httpPort);
        return props;
    }
}
