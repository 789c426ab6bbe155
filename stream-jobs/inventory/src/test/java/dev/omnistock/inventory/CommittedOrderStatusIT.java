package dev.omnistock.inventory;

import static dev.omnistock.inventory.topology.InventoryEvents.count;
import static dev.omnistock.inventory.topology.InventoryEvents.placed;
import static dev.omnistock.inventory.topology.InventoryEvents.shipped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnistock.config.Config;
import dev.omnistock.events.Channel;
import dev.omnistock.events.OrderStatus;
import dev.omnistock.events.OrderStatusChanged;
import dev.omnistock.serde.AvroSerializer;
import dev.omnistock.testsupport.FreePorts;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An order's feed and GET /v1/orders/{orderId} tell committed changes only: a change whose transaction
 * aborts never reaches them, and one still waiting for its commit does not either. The service commits
 * every few seconds here, so that a change waits long enough to be caught showing early.
 */
@ExtendWith(RealStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommittedOrderStatusIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int COMMIT_INTERVAL_MS = 3_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private InventoryService service;
    private InventoryConfig config;
    private KafkaProducer<String, Object> producer;
    /** Reads order-status as a downstream reader does, to its last stable offset (where open transactions begin). */
    private KafkaConsumer<String, OrderStatusChanged> committedReader;
    private final Map<String, List<Long>> committedSequences = new HashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(RealStack stack, TestNamespace ns, @TempDir Path stateDir) {
        config = InventoryConfig.from(Config.of(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers(),
                "SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl(),
                "OMNISTOCK_TOPIC_PREFIX", ns.topicPrefix(),
                "OMNISTOCK_TOPIC_PARTITIONS", "2",
                "INVENTORY_APPLICATION_ID", ns.topic("inventory-committed"),
                "INVENTORY_STATE_DIR", stateDir.toString(),
                "INVENTORY_COMMIT_INTERVAL_MS", Integer.toString(COMMIT_INTERVAL_MS),
                "INVENTORY_HTTP_PORT", Integer.toString(FreePorts.one()))));
        service = new InventoryService(config);
        Instances.startTogether(TIMEOUT, service);
        producer = Instances.producer(config);

        Map<String, Object> props = new HashMap<>(config.kafka().clientProperties());
        props.putAll(config.registryConfig());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        committedReader = new KafkaConsumer<>(props, new StringDeserializer(), config.topics().orderStatus().valueSerde().deserializer());
        String topic = config.topics().orderStatus().name();
        committedReader.assign(committedReader.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList());
        committedReader.seekToBeginning(committedReader.assignment());
    }

    @AfterAll
    void stop() {
        committedReader.close();
        producer.close();
        service.close();
    }

    @Test
    void anAbortedChangeNeverReachesTheFeedNorAGetAndCommittedOnesComeWithoutGaps() throws Exception {
        String orderId = "O-ABORTED-" + UUID.randomUUID();
        String sku = "SKU-ABORTED";
        producer.send(new ProducerRecord<>(config.topics().stockMovements().name(), sku, count(sku, "DC-EAST", 10))).get();
        BufferedReader feed = openFeed(orderId);

        producer.send(new ProducerRecord<>(config.topics().orders().name(), orderId, placed(orderId, Channel.WEB, sku + ":2"))).get();
        List<String> told = new ArrayList<>();
        told.add(nextChange(feed));
        told.add(nextChange(feed));
        assertThat(told).containsExactly("1 PLACED", "2 ACCEPTED");

        // An expiry that an aborted transaction took back, as an instance failing before its commit leaves one.
        try (KafkaProducer<String, OrderStatusChanged> transactional = transactionalProducer()) {
            transactional.initTransactions();
            transactional.beginTransaction();
            transactional.send(new ProducerRecord<>(config.topics().orderStatus().name(), orderId, expired(orderId, 3))).get();
            transactional.flush();
            transactional.abortTransaction();
        }
        producer.send(new ProducerRecord<>(config.topics().orders().name(), orderId, shipped(orderId, "DC-EAST", sku, 2))).get();

        told.add(nextChange(feed));
        assertThat(told).containsExactly("1 PLACED", "2 ACCEPTED", "3 SHIPPED");
        JsonNode order = JSON.readTree(get("/v1/orders/" + orderId).body());
        assertThat(order.get("status").asText()).isEqualTo("SHIPPED");
        List<String> timeline = new ArrayList<>();
        order.get("timeline").forEach(change -> timeline.add(change.get("sequence").asLong() + " " + change.get("status").asText()));
        assertThat(timeline).containsExactly("1 PLACED", "2 ACCEPTED", "3 SHIPPED");
    }

    @Test
    void aGetShowsAChangeOnlyOnceItsTransactionCommitted() throws Exception {
        String orderId = "O-UNCOMMITTED-" + UUID.randomUUID();
        String path = "/v1/orders/" + orderId;
        producer.send(new ProducerRecord<>(config.topics().orders().name(), orderId, placed(orderId, Channel.WEB, "SKU-NEVER-COUNTED:1"))).get();

        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(10)).until(() -> {
            HttpResponse<String> response = get(path);
            if (response.statusCode() == 404) {
                return false;
            }
            JsonNode order = JSON.readTree(response.body());
            JsonNode timeline = order.get("timeline");
            long last = timeline.get(timeline.size() - 1).get("sequence").asLong();
            // Committed before the answer, so within the last stable offset read after it.
            List<Long> committed = committedSequences(orderId);
            if (!committed.contains(last)) {
                throw new IllegalStateException("GET showed change " + last + " of " + orderId + " before it committed (committed: "
                        + committed + ")");
            }
            return order.get("status").asText().equals("REJECTED");
        });
        assertThat(committedSequences(orderId)).containsExactly(1L, 2L);
    }

    private static OrderStatusChanged expired(String orderId, long sequence) {
        return OrderStatusChanged.newBuilder()
                .setChangeId(orderId + "/" + sequence)
                .setOrderId(orderId)
                .setSequence(sequence)
                .setChangedAt(Instant.now())
                .setChannel(Channel.WEB)
                .setPreviousStatus(OrderStatus.ACCEPTED)
                .setStatus(OrderStatus.EXPIRED)
                .setCausedBy(orderId + "/expiry")
                .setChangedLines(List.of())
                .build();
    }

    private KafkaProducer<String, OrderStatusChanged> transactionalProducer() {
        Map<String, Object> props = new HashMap<>(config.kafka().clientProperties());
        props.putAll(config.registryConfig());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "aborting-" + UUID.randomUUID());
        return new KafkaProducer<>(props);
    }

    /** The sequences of the order's committed changes: everything below the last stable offset now. */
    private List<Long> committedSequences(String orderId) {
        Map<TopicPartition, Long> end = committedReader.endOffsets(committedReader.assignment());
        while (end.entrySet().stream().anyMatch(e -> committedReader.position(e.getKey()) < e.getValue())) {
            for (ConsumerRecord<String, OrderStatusChanged> record : committedReader.poll(Duration.ofMillis(100))) {
                committedSequences.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.value().getSequence());
            }
        }
        return List.copyOf(committedSequences.getOrDefault(orderId, List.of()));
    }

    private BufferedReader openFeed(String orderId) throws Exception {
        HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.httpPort()
                        + "/v1/orders/" + orderId + "/events")).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
        FeedEvents.next(lines, "ready", TIMEOUT);
        return lines;
    }

    /** The next change on the feed, as "sequence STATUS"; the event's id is its sequence. */
    private static String nextChange(BufferedReader feed) throws Exception {
        Map<String, String> event = FeedEvents.next(feed, "order-status", TIMEOUT);
        JsonNode change = JSON.readTree(event.get("data"));
        assertThat(event.get("id")).isEqualTo(change.get("sequence").asText());
        return change.get("sequence").asLong() + " " + change.get("status").asText();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
