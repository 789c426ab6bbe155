package dev.omnistock.topics;

import dev.omnistock.config.Config;
import dev.omnistock.config.SchemaRegistryConnection;
import dev.omnistock.config.Settings;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.TopicConfig;
import dev.omnistock.events.InventoryAlert;
import dev.omnistock.events.InventoryPosition;
import dev.omnistock.events.InventorySettings;
import dev.omnistock.events.LineCommand;
import dev.omnistock.events.LineDecision;
import dev.omnistock.events.NotificationAttempt;
import dev.omnistock.events.NotifyDelivery;
import dev.omnistock.events.NotifySubscription;
import dev.omnistock.events.OrderDecision;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.OrderStatusChanged;
import dev.omnistock.events.StockEvent;
import dev.omnistock.serde.AvroSerde;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic of the product, with its key and value serde. Keys are plain UTF-8 strings (so that
 * any client can partition and compact by them); values are Avro in the Confluent wire format.
 * docs/architecture.md lists the same topics with their producers and consumers.
 */
public final class Topics {

    /** Put in front of every topic name, e.g. "acme.oms." to share a cluster. */
    public static final String PREFIX = "OMNISTOCK_TOPIC_PREFIX";
    /** Partitions for topics this project creates. */
    public static final String PARTITIONS = "OMNISTOCK_TOPIC_PARTITIONS";
    public static final int DEFAULT_PARTITIONS = 6;
    /**
     * notify-subscriptions' min.compaction.lag.ms: a subscription's tombstone stays at least this long after it
     * was written, even when a record of it written later (a notifier node's stale copy) supersedes it, so a
     * notifier started within it reads the deletion and writes it again.
     */
    public static final Duration NOTIFY_SUBSCRIPTIONS_COMPACTION_LAG = Duration.ofDays(7);

    private final TopicSpec<String, OrderEvent> orders;
    private final TopicSpec<String, StockEvent> stockMovements;
    private final TopicSpec<String, InventorySettings> inventorySettings;
    private final TopicSpec<String, InventoryPosition> inventoryAvailability;
    private final TopicSpec<String, InventoryAlert> inventoryAlerts;
    private final TopicSpec<String, OrderDecision> orderDecisions;
    private final TopicSpec<String, OrderStatusChanged> orderStatus;
    private final TopicSpec<String, LineCommand> ledgerCommands;
    private final TopicSpec<String, LineDecision> lineAnswers;
    private final TopicSpec<byte[], byte[]> rawOrders;
    private final TopicSpec<byte[], byte[]> rawStockMovements;
    private final TopicSpec<byte[], byte[]> deadLetters;
    private final TopicSpec<String, NotifySubscription> notifySubscriptions;
    private final TopicSpec<String, NotifyDelivery> notifyDeliveries;
    private final TopicSpec<String, NotificationAttempt> notificationAttempts;
    private final String prefix;

    public Topics(String prefix, int partitions, Map<String, ?> registryConfig) {
        this.prefix = prefix;
        // Keyed by orderId: every event of an order in order.
        orders = avro("orders", OrderEvent.class, partitions, false, registryConfig);
        // Keyed by SKU: one task sees every location of a SKU.
        stockMovements = avro("stock-movements", StockEvent.class, partitions, false, registryConfig);
        // Keyed by "sku" or "sku@locationId"; the latest record per key is in force.
        inventorySettings = avro("inventory-settings", InventorySettings.class, partitions, true, registryConfig);
        // Keyed by SKU; the latest position per SKU, for storefronts that read Kafka.
        inventoryAvailability = avro("inventory-availability", InventoryPosition.class, partitions, true, registryConfig);
        // Keyed by SKU.
        inventoryAlerts = avro("inventory-alerts", InventoryAlert.class, partitions, false, registryConfig);
        // Keyed by orderId.
        orderDecisions = avro("order-decisions", OrderDecision.class, partitions, false, registryConfig);
        // Keyed by orderId: each change of an order as its customer sees it, in sequence.
        orderStatus = avro("order-status", OrderStatusChanged.class, partitions, false, registryConfig);
        // Internal to the inventory service, keyed by SKU: order lines' reserve/release/ship/return.
        ledgerCommands = avro("inventory-ledger-commands", LineCommand.class, partitions, false, registryConfig);
        // Internal to the inventory service, keyed by orderId: each line's reservation answer.
        // Read together with orders, so it must have as many partitions as orders.
        lineAnswers = avro("inventory-line-answers", LineDecision.class, partitions, false, registryConfig);
        // Where systems that produce to Kafka themselves write; the ingestion gate checks each record and
        // forwards it, bytes unchanged, to orders / stock-movements, or dead-letters it.
        rawOrders = new TopicSpec<>(prefix + "raw.orders", Serdes.ByteArray(), Serdes.ByteArray(), Optional.empty(), partitions, false, Map.of());
        rawStockMovements = new TopicSpec<>(prefix + "raw.stock-movements", Serdes.ByteArray(), Serdes.ByteArray(), Optional.empty(), partitions, false, Map.of());
        // Original key and value bytes of records that could not be read or were invalid; reason in headers.
        deadLetters = new TopicSpec<>(prefix + "dead-letter", Serdes.ByteArray(), Serdes.ByteArray(),
                Optional.empty(), partitions, false, Map.of());
        // The notifier's own state, one partition each (a notifier reads all of it at start). Keyed by
        // subscription id: the latest subscription (its signing secrets too: restrict who reads this topic).
        // Records written before the state was Avro are JSON; the notifier reads both.
        // Records stay uncompacted for a while, so a deletion outlives a record a stale node wrote after it.
        notifySubscriptions = avro("notify-subscriptions", NotifySubscription.class, 1, true, registryConfig).withConfigs(Map.of(
                TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, Long.toString(NOTIFY_SUBSCRIPTIONS_COMPACTION_LAG.toMillis())));
        // Keyed by delivery id (noticeId|subscriptionId): where each delivery stands, so a restart resumes its retries.
        notifyDeliveries = avro("notify-deliveries", NotifyDelivery.class, 1, true, registryConfig);
        // Keyed by delivery id: every attempt, the delivery log.
        notificationAttempts = avro("notification-attempts", NotificationAttempt.class, partitions, false, registryConfig);
    }

    public static final ConfigDef SETTINGS = new ConfigDef()
            .define(PREFIX, Type.STRING, "", Importance.MEDIUM, "put in front of every topic name")
            .define(PARTITIONS, Type.INT, DEFAULT_PARTITIONS, ConfigDef.Range.between(1, 10_000), Importance.MEDIUM,
                    "partitions of the topics the project creates");

    public static Topics from(Config config) {
        Settings settings = Settings.read(SETTINGS, config);
        return new Topics(settings.optional(PREFIX).orElse(""), settings.integer(PARTITIONS),
                SchemaRegistryConnection.from(config).serdeConfig());
    }

    private <V extends SpecificRecord> TopicSpec<String, V> avro(
            String name, Class<V> type, int partitions, boolean compacted, Map<String, ?> registryConfig) {
        return new TopicSpec<>(prefix + name, Serdes.String(), AvroSerde.forValues(type, registryConfig),
                Optional.of(SpecificData.get().getSchema(type)), partitions, compacted, Map.of());
    }

    public TopicSpec<String, OrderEvent> orders() {
        return orders;
    }

    public TopicSpec<String, StockEvent> stockMovements() {
        return stockMovements;
    }

    public TopicSpec<String, InventorySettings> inventorySettings() {
        return inventorySettings;
    }

    public TopicSpec<String, InventoryPosition> inventoryAvailability() {
        return inventoryAvailability;
    }

    public TopicSpec<String, InventoryAlert> inventoryAlerts() {
        return inventoryAlerts;
    }

    public TopicSpec<String, OrderDecision> orderDecisions() {
        return orderDecisions;
    }

    public TopicSpec<String, OrderStatusChanged> orderStatus() {
        return orderStatus;
    }

    public TopicSpec<String, LineCommand> ledgerCommands() {
        return ledgerCommands;
    }

    public TopicSpec<String, LineDecision> lineAnswers() {
        return lineAnswers;
    }

    public TopicSpec<byte[], byte[]> rawOrders() {
        return rawOrders;
    }

    public TopicSpec<byte[], byte[]> rawStockMovements() {
        return rawStockMovements;
    }

    public TopicSpec<byte[], byte[]> deadLetters() {
        return deadLetters;
    }

    public TopicSpec<String, NotifySubscription> notifySubscriptions() {
        return notifySubscriptions;
    }

    public TopicSpec<String, NotifyDelivery> notifyDeliveries() {
        return notifyDeliveries;
    }

    public TopicSpec<String, NotificationAttempt> notificationAttempts() {
        return notificationAttempts;
    }

    public List<TopicSpec<?, ?>> all() {
        return List.of(orders, stockMovements, inventorySettings, inventoryAvailability, inventoryAlerts,
                orderDecisions, orderStatus, ledgerCommands, lineAnswers, rawOrders, rawStockMovements, deadLetters,
                notifySubscriptions, notifyDeliveries, notificationAttempts);
    }
}
