package dev.omnistock.inventory;

import dev.omnistock.config.Config;
import dev.omnistock.config.KafkaConnection;
import dev.omnistock.config.Redaction;
import dev.omnistock.config.SchemaRegistryConnection;
import dev.omnistock.config.Settings;
import dev.omnistock.config.RequestGuard;
import dev.omnistock.config.RoleKeys;
import dev.omnistock.inventory.alerts.AlertRule;
import dev.omnistock.inventory.api.Reader;
import dev.omnistock.inventory.ledger.InventoryRules;
import dev.omnistock.inventory.sourcing.SourcingPolicy;
import dev.omnistock.inventory.topology.InventoryTopology;
import dev.omnistock.streams.ReadFailureHandler;
import dev.omnistock.inventory.topology.StoreTuning;
import dev.omnistock.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The inventory service's settings, from the environment (see the README's configuration table).
 * {@code toString()} names no secret: the API keys are held hashed, the connections redact theirs.
 */
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
        int producerBatchBytes,
        long cacheMaxBytes,
        int decodedValuesMax,
        int feedMaxPendingChars,
        Duration feedHeartbeat,
        int feedMaxSubscribers,
        String httpHost,
        int httpPort,
        String advertisedHost,
        Optional<String> groupInstanceId,
        int standbyReplicas,
        int sessionTimeoutMs,
        RoleKeys<Reader> apiKeys,
        List<String> allowedHosts,
        Duration shutdownDrain) {

    public static final String API_KEYS = "INVENTORY_API_KEYS";
    public static final String ALLOWED_HOSTS = "INVENTORY_ALLOWED_HOSTS";

    /** Every setting the service reads, with its type, default and allowed range; the README's table agrees (tested). */
    public static final ConfigDef SETTINGS = new ConfigDef()
            .define("INVENTORY_APPLICATION_ID", Type.STRING, "omnistock-inventory", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Kafka Streams application id")
            .define("INVENTORY_GROUP_INSTANCE_ID", Type.STRING, null, Importance.MEDIUM, "static membership id")
            .define("INVENTORY_STANDBY_REPLICAS", Type.INT, 1, Range.between(0, 10), Importance.MEDIUM, "standby copies of each store")
            .define("INVENTORY_SESSION_TIMEOUT_MS", Type.INT, 6_000, Range.between(3_000, 1_800_000), Importance.MEDIUM,
                    "how long a silent instance keeps its tasks")
            .define("INVENTORY_STATE_DIR", Type.STRING, "state/inventory", new ConfigDef.NonEmptyString(), Importance.HIGH, "state directory")
            .define("INVENTORY_HTTP_HOST", Type.STRING, "127.0.0.1", new ConfigDef.NonEmptyString(), Importance.HIGH, "API bind address")
            .define("INVENTORY_HTTP_PORT", Type.INT, 8090, Range.between(0, 65535), Importance.HIGH, "API port")
            .define("INVENTORY_ADVERTISED_HOST", Type.STRING, null, Importance.MEDIUM, "host other instances reach")
            .define(ALLOWED_HOSTS, Type.LIST, "", Importance.HIGH, "names clients reach the API by, besides the bind and advertised hosts")
            .define("INVENTORY_LOCATION_PRIORITY", Type.LIST, "", Importance.MEDIUM, "preferred locations")
            .define("INVENTORY_SPLIT_LINES", Type.BOOLEAN, false, Importance.MEDIUM, "split lines across locations")
            .define("INVENTORY_PARTIAL_ORDERS", Type.BOOLEAN, false, Importance.MEDIUM, "accept orders partly")
            .define("INVENTORY_RESERVATION_EXPIRY_HOURS", Type.INT, 168, Range.atLeast(1), Importance.MEDIUM, "reservation expiry")
            .define("INVENTORY_INBOUND_EXPIRY_HOURS", Type.INT, 336, Range.atLeast(1), Importance.MEDIUM, "inbound expiry")
            .define("INVENTORY_DEFAULT_LOW_STOCK_THRESHOLD", Type.INT, 5, Range.atLeast(0), Importance.MEDIUM, "low-stock threshold")
            .define("INVENTORY_ALERT_HYSTERESIS", Type.INT, 2, Range.atLeast(0), Importance.LOW, "back-in-stock hysteresis")
            .define("INVENTORY_DEDUPE_RETENTION_HOURS", Type.INT, 24, Range.atLeast(1), Importance.MEDIUM, "duplicate window")
            .define("INVENTORY_STREAM_THREADS", Type.INT, 1, Range.between(1, 64), Importance.MEDIUM, "stream threads")
            .define("INVENTORY_COMMIT_INTERVAL_MS", Type.INT, 300, Range.between(1, 60_000), Importance.MEDIUM, "commit interval")
            .define("INVENTORY_PRODUCER_LINGER_MS", Type.INT, 5, Range.between(0, 1_000), Importance.LOW, "producer linger")
            .define("INVENTORY_PRODUCER_BATCH_KB", Type.INT, 256, Range.between(16, 1_000), Importance.LOW, "producer batch per partition")
            .define("INVENTORY_FEED_HEARTBEAT_MS", Type.INT, 15_000, Range.between(100, 3_600_000), Importance.LOW, "feed heartbeat")
            .define("INVENTORY_FEED_MAX_PENDING_KB", Type.INT, 8 * 1024, Range.between(1, 1024 * 1024), Importance.LOW, "feed client backlog")
            .define("INVENTORY_FEED_MAX_SUBSCRIBERS", Type.INT, 1_000, Range.between(1, 100_000), Importance.MEDIUM, "feed clients per instance")
            .define("INVENTORY_CACHE_MAX_MB", Type.INT, 128, Range.between(0, 64 * 1024), Importance.LOW, "state-store cache")
            .define("INVENTORY_DECODED_VALUES_MAX", Type.INT, 10_000, Range.between(0, 10_000_000), Importance.LOW, "decoded values kept")
            .define("INVENTORY_SHUTDOWN_DRAIN_MS", Type.INT, 5_000, Range.between(0, 300_000), Importance.MEDIUM,
                    "how long a stopping instance serves while not ready");

    public static InventoryConfig from(Config config) {
        Settings settings = Settings.read(SETTINGS, config);
        Map<String, Object> registry = SchemaRegistryConnection.from(config).serdeConfig();
        InventoryRules rules = new InventoryRules(
                new SourcingPolicy(settings.list("INVENTORY_LOCATION_PRIORITY"), settings.bool("INVENTORY_SPLIT_LINES")),
                new AlertRule(settings.integer("INVENTORY_ALERT_HYSTERESIS")),
                settings.integer("INVENTORY_DEFAULT_LOW_STOCK_THRESHOLD"),
                Duration.ofHours(settings.integer("INVENTORY_INBOUND_EXPIRY_HOURS")));
        String httpHost = settings.string("INVENTORY_HTTP_HOST");
        RoleKeys<Reader> apiKeys = Reader.keys(API_KEYS, config.secret(API_KEYS).orElse(""));
        RequestGuard.requireKeysBeyondLoopback("INVENTORY_HTTP_HOST", httpHost, API_KEYS, apiKeys.isEmpty());
        return new InventoryConfig(
                KafkaConnection.from(config),
                registry,
                Topics.from(config),
                settings.string("INVENTORY_APPLICATION_ID"),
                Path.of(settings.string("INVENTORY_STATE_DIR")).toAbsolutePath(),
                rules,
                settings.bool("INVENTORY_PARTIAL_ORDERS"),
                Duration.ofHours(settings.integer("INVENTORY_RESERVATION_EXPIRY_HOURS")),
                Duration.ofHours(settings.integer("INVENTORY_DEDUPE_RETENTION_HOURS")),
                settings.integer("INVENTORY_STREAM_THREADS"),
                settings.integer("INVENTORY_COMMIT_INTERVAL_MS"),
                settings.integer("INVENTORY_PRODUCER_LINGER_MS"),
                settings.integer("INVENTORY_PRODUCER_BATCH_KB") * 1024,
                settings.integer("INVENTORY_CACHE_MAX_MB") * 1024L * 1024L,
                settings.integer("INVENTORY_DECODED_VALUES_MAX"),
                settings.integer("INVENTORY_FEED_MAX_PENDING_KB") * 1024,
                Duration.ofMillis(settings.integer("INVENTORY_FEED_HEARTBEAT_MS")),
                settings.integer("INVENTORY_FEED_MAX_SUBSCRIBERS"),
                httpHost,
                settings.integer("INVENTORY_HTTP_PORT"),
                settings.optional("INVENTORY_ADVERTISED_HOST").orElse(httpHost),
                settings.optional("INVENTORY_GROUP_INSTANCE_ID"),
                settings.integer("INVENTORY_STANDBY_REPLICAS"),
                settings.integer("INVENTORY_SESSION_TIMEOUT_MS"),
                apiKeys,
                settings.list(ALLOWED_HOSTS),
                Duration.ofMillis(settings.integer("INVENTORY_SHUTDOWN_DRAIN_MS")));
    }

    /** The API's Host, Origin and media-type checks: other instances reach it by its advertised host. */
    public RequestGuard requestGuard() {
        return RequestGuard.forService(ALLOWED_HOSTS, List.of(httpHost, advertisedHost), allowedHosts);
    }

    @Override
    public String toString() {
        return Redaction.describe(this);
    }

    public InventoryTopology topology() {
        return new InventoryTopology(topics, rules, partialOrders, reservationExpiry, dedupeRetention, decodedValuesMax);
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
        // The stores' changelog values are large (an order with its timeline, a SKU's ledger): with Kafka's 16 KB
        // a batch filled within milliseconds and every full batch cost the broker a request of its own.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), producerBatchBytes);
        // Big enough that entries leave the store caches at a commit, not one by one when the cache is full.
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, cacheMaxBytes);
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, StoreTuning.class);
        // A task takes its partitions' records in timestamp order, fetching a partition it knows has data
        // before moving past it (0, not -1). The rules do depend on the order of two topics: a reservation
        // is decided against the stock counted so far, so an order processed ahead of an earlier count is
        // refused. Without waiting, a backlog (a restart after a crash) let orders overtake the counts
        // that came before them, and the ledger ended far from the truth (HardKillIT).
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 0L);
        // A thread per core the service has to itself: on cores shared with the broker a second one does not move the ratio (docs/benchmarks.md).
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        // A record that cannot be read goes to the dead-letter topic with the reason and the service goes on;
        // one that cannot be read because the registry is down is read again later.
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, ReadFailureHandler.class);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics.deadLetters().name());
        // Static membership: an instance restarted under the same id takes its tasks back at once, instead of
        // waiting out the session timeout of the member it replaces (Streams adds the thread's number).
        groupInstanceId.ifPresent(id -> props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
        // The classic rebalance protocol, said rather than defaulted: Kafka 4.2's streams protocol (KIP-1071)
        // refuses static membership and ignores the warm-up and rack settings, which failover relies on.
        props.put(StreamsConfig.GROUP_PROTOCOL_CONFIG, "classic");
        // A copy of each store on another instance, kept current from its changelog: when an instance dies its
        // tasks move to the copies' holders, which need not restore the whole changelog first. With one
        // instance there is nowhere to put a copy, and Streams places none.
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, standbyReplicas);
        // A static member that stops heartbeating keeps its tasks until its session times out (Kafka's 45 s by
        // default, nothing served for its SKUs meanwhile); this bounds that gap, 6 s by default being the least a
        // broker takes (group.min.session.timeout.ms). Heartbeats go from a thread of their own, so only a pause of
        // the whole JVM or machine that long ends a session. Every sixth of it: five may be lost before that, and
        // the others hear of each rebalance round within one interval, which the two rounds of a failover wait for.
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), sessionTimeoutMs);
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), sessionTimeoutMs / 6);
        // Where other instances reach this one's API, for SKUs this instance hosts.
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, advertisedHost + ":" + httpPort);
        return props;
    }
}
