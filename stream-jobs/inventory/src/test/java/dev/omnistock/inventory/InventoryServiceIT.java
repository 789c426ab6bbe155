package dev.omnistock.inventory;

import static dev.omnistock.inventory.topology.InventoryEvents.cancelWhole;
import static dev.omnistock.inventory.topology.InventoryEvents.count;
import static dev.omnistock.inventory.topology.InventoryEvents.placed;
import static dev.omnistock.inventory.topology.InventoryEvents.returned;
import static dev.omnistock.inventory.topology.InventoryEvents.shipped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.omnistock.config.Config;
import dev.omnistock.events.Channel;
import dev.omnistock.events.DecisionStatus;
import dev.omnistock.events.InventoryPosition;
import dev.omnistock.events.LineDecision;
import dev.omnistock.events.OrderDecision;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.StockEvent;
import dev.omnistock.testsupport.FreePorts;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import dev.omnistock.testsupport.TopicReader;
import dev.omnistock.topics.DeadLetterHeaders;
import dev.omnistock.topics.TopicSpec;
import dev.omnistock.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The inventory service against the real broker and registry, exactly-once on. */
@ExtendWith(RealStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InventoryServiceIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private InventoryConfig config;
    private InventoryService service;
    private Topics topics;
    private KafkaProducer<String, Object> producer;
    private String bootstrap;

    @BeforeAll
    void startService(RealStack stack, TestNamespace ns, @TempDir Path stateDir) {
        bootstrap = stack.kafkaBootstrapServers();
        config = InventoryConfig.from(Config.of(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl(),
                "OMNISTOCK_TOPIC_PREFIX", ns.topicPrefix(),
                "OMNISTOCK_TOPIC_PARTITIONS", "3",
                "INVENTORY_APPLICATION_ID", ns.topic("inventory"),
                "INVENTORY_STATE_DIR", stateDir.toString(),
                "INVENTORY_LOCATION_PRIORITY", "DC-EAST",
                "INVENTORY_HTTP_PORT", Integer.toString(FreePorts.one()))));
        topics = config.topics();
        service = new InventoryService(config);
        service.start();
        await().atMost(TIMEOUT).until(() -> service.streams().state() == KafkaStreams.State.RUNNING);

        Map<String, Object> props = new HashMap<>(config.kafka().clientProperties());
        props.putAll(config.registryConfig());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, dev.omnistock.serde.AvroSerializer.class);
        producer = new KafkaProducer<>(props);
    }

    @AfterAll
    void stopService() {
        producer.close();
        service.close();
    }

    private void send(StockEvent event) throws Exception {
        producer.send(new ProducerRecord<>(topics.stockMovements().name(), event.getSku(), event)).get();
    }

    private void send(OrderEvent event) throws Exception {
        producer.send(new ProducerRecord<>(topics.orders().name(), event.getOrderId(), event)).get();
    }

    @Test
    void anOrdersWholeLifeMovesThePositionExactly() throws Exception {
        send(count("SKU-LIFE", "DC-EAST", 10));
        send(count("SKU-LIFE", "STORE-1", 2));
        send(count("SKU-SCARCE", "DC-EAST", 1));

        // count -> place -> accept -> ship
        send(placed("O-ship", Channel.WEB, "SKU-LIFE:3"));
        assertThat(decisionOf("O-ship").getStatus()).isEqualTo(DecisionStatus.ACCEPTED);
        send(shipped("O-ship", "DC-EAST", "SKU-LIFE", 3));
        // place -> reject, with the other line's reservation released
        send(placed("O-reject", Channel.MARKETPLACE, "SKU-LIFE:2", "SKU-SCARCE:4"));
        OrderDecision rejected = decisionOf("O-reject");
        assertThat(rejected.getStatus()).isEqualTo(DecisionStatus.REJECTED);
        assertThat(rejected.getLines()).filteredOn(l -> l.getSku().equals("SKU-SCARCE")).singleElement()
                .extracting(LineDecision::getRejectionReason).asString().contains("insufficient stock");
        // place -> cancel
        send(placed("O-cancel", Channel.MOBILE_APP, "SKU-LIFE:4"));
        assertThat(decisionOf("O-cancel").getStatus()).isEqualTo(DecisionStatus.ACCEPTED);
        send(cancelWhole("O-cancel"));
        // return: 1 resellable at the store, 1 damaged
        send(returned("O-ship", "STORE-1", "SKU-LIFE", 1, true));
        send(returned("O-ship", "STORE-1", "SKU-LIFE", 1, false));

        // on hand: 10 - 3 shipped at DC-EAST; 2 + 2 returned at STORE-1, 1 of them unavailable
        await().atMost(TIMEOUT).untilAsserted(() -> {
            InventoryPosition position = latestPosition("SKU-LIFE");
            assertThat(position.getOnHand()).isEqualTo(11);
            assertThat(position.getCommitted()).isZero();
            assertThat(position.getUnavailable()).isEqualTo(1);
            assertThat(position.getAvailable()).isEqualTo(10);
        });
    }

    @Test
    void anUndecodableRecordGoesToTheDeadLetterTopicWithItsOrigin() throws Exception {
        byte[] garbage = "{\"sku\":\"SKU-DLQ\",\"onHand\":5}".getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            raw.send(new ProducerRecord<>(topics.stockMovements().name(), "SKU-DLQ".getBytes(StandardCharsets.UTF_8), garbage)).get();
        }
        send(count("SKU-DLQ", "DC-EAST", 7));

        ConsumerRecord<byte[], byte[]> letter = readUntil(topics.deadLetters(), Serdes.ByteArray().deserializer(),
                r -> new String(r.key(), StandardCharsets.UTF_8).equals("SKU-DLQ"));
        assertThat(letter.value()).isEqualTo(garbage);
        assertThat(header(letter, DeadLetterHeaders.TOPIC)).isEqualTo(topics.stockMovements().name());
        assertThat(header(letter, DeadLetterHeaders.MESSAGE)).contains("magic byte");
        assertThat(header(letter, DeadLetterHeaders.OFFSET)).isNotBlank();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(latestPosition("SKU-DLQ").getOnHand()).isEqualTo(7));
    }

    @Test
    void manyOrdersRacingForScarceStockNeverOversell() throws Exception {
        send(count("SKU-RACE", "DC-EAST", 5));
        send(count("SKU-RACE", "STORE-1", 3));
        Channel[] channels = {Channel.WEB, Channel.MOBILE_APP, Channel.MARKETPLACE, Channel.STORE_POS};
        int ordersPerChannel = 10;
        ExecutorService pool = Executors.newFixedThreadPool(channels.length);
        List<Future<?>> sending = new ArrayList<>();
        for (Channel channel : channels) {
            sending.add(pool.submit(() -> {
                for (int i = 0; i < ordersPerChannel; i++) {
                    send(placed("O-race-" + channel + "-" + i, channel, "SKU-RACE:" + (1 + i % 2)));
                }
                return null;
            }));
        }
        for (Future<?> f : sending) {
            f.get();
        }
        pool.shutdown();

        Map<String, OrderDecision> decisions = decisionsWithPrefix("O-race-", channels.length * ordersPerChannel);
        int accepted = decisions.values().stream().filter(d -> d.getStatus() == DecisionStatus.ACCEPTED)
                .mapToInt(d -> d.getLines().get(0).getQuantity()).sum();
        assertThat(accepted).isPositive().isLessThanOrEqualTo(8);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            InventoryPosition position = latestPosition("SKU-RACE");
            assertThat(position.getCommitted()).isEqualTo(accepted);
            assertThat(position.getAvailable()).isEqualTo(8 - accepted);
        });
    }

    @Test
    void aRestartedInstanceResumesExactly() throws Exception {
        send(count("SKU-RESTART", "DC-EAST", 10));
        send(placed("O-before-restart", Channel.WEB, "SKU-RESTART:4"));
        assertThat(decisionOf("O-before-restart").getStatus()).isEqualTo(DecisionStatus.ACCEPTED);

        service.close();
        service = new InventoryService(config);
        service.start();
        await().atMost(TIMEOUT).until(() -> service.streams().state() == KafkaStreams.State.RUNNING);

        // The reservation made before the restart still holds: 6 left, so 7 cannot be had, 6 can.
        send(placed("O-after-restart-7", Channel.WEB, "SKU-RESTART:7"));
        send(placed("O-after-restart-6", Channel.WEB, "SKU-RESTART:6"));
        assertThat(decisionOf("O-after-restart-7").getStatus()).isEqualTo(DecisionStatus.REJECTED);
        assertThat(decisionOf("O-after-restart-6").getStatus()).isEqualTo(DecisionStatus.ACCEPTED);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            InventoryPosition position = latestPosition("SKU-RESTART");
            assertThat(position.getCommitted()).isEqualTo(10);
            assertThat(position.getAvailable()).isZero();
            assertThat(position.getVersion()).isEqualTo(3);
        });
    }

    // ---- reading what the service wrote (committed transactions only)

    private final Map<String, OrderDecision> decisions = new ConcurrentHashMap<>();

    private OrderDecision decisionOf(String orderId) {
        return decisionsWithPrefix(orderId, 1).get(orderId);
    }

    private Map<String, OrderDecision> decisionsWithPrefix(String prefix, int expected) {
        await().atMost(TIMEOUT).until(() -> {
            readAll(topics.orderDecisions(), topics.orderDecisions().valueSerde().deserializer())
                    .forEach(r -> decisions.put(r.key(), r.value()));
            return decisions.keySet().stream().filter(k -> k.startsWith(prefix)).count() >= expected;
        });
        Map<String, OrderDecision> matching = new HashMap<>();
        decisions.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                matching.put(k, v);
            }
        });
        return matching;
    }

    private InventoryPosition latestPosition(String sku) {
        InventoryPosition latest = null;
        for (ConsumerRecord<String, InventoryPosition> r : readAll(topics.inventoryAvailability(),
                topics.inventoryAvailability().valueSerde().deserializer())) {
            if (r.key().equals(sku) && (latest == null || r.value().getVersion() > latest.getVersion())) {
                latest = r.value();
            }
        }
        assertThat(latest).as("a position for %s", sku).isNotNull();
        return latest;
    }

    private <K, V> ConsumerRecord<K, V> readUntil(TopicSpec<K, V> topic, Deserializer<K> keys,
                                                  java.util.function.Predicate<ConsumerRecord<K, V>> match) {
        List<ConsumerRecord<K, V>> found = new ArrayList<>();
        await().atMost(TIMEOUT).until(() -> {
            try (KafkaConsumer<K, V> consumer = consumer(keys, topic.valueSerde().deserializer())) {
                consumer.subscribe(List.of(topic.name()));
                for (int i = 0; i < 5 && found.isEmpty(); i++) {
                    consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                        if (match.test(r)) {
                            found.add(r);
                        }
                    });
                }
            }
            return !found.isEmpty();
        });
        return found.get(0);
    }

    /** Everything on the topic so far. */
    private <V> List<ConsumerRecord<String, V>> readAll(TopicSpec<String, V> topic, Deserializer<V> values) {
        return TopicReader.readAll(bootstrap, topic.name(), Serdes.String().deserializer(), values);
    }

    private <K, V> KafkaConsumer<K, V> consumer(Deserializer<K> keys, Deserializer<V> values) {
        Map<String, Object> props = new HashMap<>(config.kafka().clientProperties());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + System.nanoTime());
        return new KafkaConsumer<>(props, keys, values);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
