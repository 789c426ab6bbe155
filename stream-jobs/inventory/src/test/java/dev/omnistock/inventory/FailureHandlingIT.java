package dev.omnistock.inventory;

import static dev.omnistock.inventory.topology.InventoryEvents.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnistock.config.Config;
import dev.omnistock.events.InventoryPosition;
import dev.omnistock.events.StockEvent;
import dev.omnistock.serde.SchemaRegistry;
import dev.omnistock.serde.Subjects;
import dev.omnistock.testsupport.FreePorts;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TcpProxy;
import dev.omnistock.testsupport.TestNamespace;
import dev.omnistock.testsupport.TopicReader;
import dev.omnistock.topics.DeadLetterHeaders;
import dev.omnistock.topics.Topics;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import dev.omnistock.inventory.api.Reader;
import dev.omnistock.config.RequestGuard;
import dev.omnistock.inventory.api.InventoryApi;
import dev.omnistock.inventory.api.TaskWatch;
import dev.omnistock.streams.StreamThreadFailures;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the inventory service meets failures that are not its input's fault, and input that is bad, on the
 * real broker and registry: the registry reached through a proxy that the tests take away and give back.
 */
@ExtendWith(RealStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailureHandlingIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String KEY = "storefront-key-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private RealStack stack;
    private TcpProxy registryProxy;
    private InventoryConfig config;
    private InventoryService service;
    private Topics topics;
    private KafkaProducer<String, Object> producer;
    private KafkaProducer<byte[], byte[]> raw;

    @BeforeAll
    void start(RealStack stack, TestNamespace ns, @TempDir Path stateDir) throws Exception {
        this.stack = stack;
        URI registry = URI.create(stack.schemaRegistryUrl());
        registryProxy = new TcpProxy(registry.getHost(), registry.getPort());
        String proxiedRegistry = stack.schemaRegistryUrl().replace(":" + registry.getPort() + "/", ":" + registryProxy.port() + "/");
        Map<String, String> env = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers(),
                "SCHEMA_REGISTRY_URL", proxiedRegistry,
                "OMNISTOCK_TOPIC_PREFIX", ns.topicPrefix(),
                "OMNISTOCK_TOPIC_PARTITIONS", "2",
                "INVENTORY_APPLICATION_ID", ns.topic("inventory"),
                "INVENTORY_STATE_DIR", stateDir.toString(),
                "INVENTORY_HTTP_PORT", Integer.toString(FreePorts.one()),
                "INVENTORY_FEED_MAX_SUBSCRIBERS", "2",
                "INVENTORY_API_KEYS", KEY));
        env.put("INVENTORY_FEED_HEARTBEAT_MS", "200"); // finds clients that have gone within a moment
        config = InventoryConfig.from(Config.of(env));
        topics = config.topics();
        service = new InventoryService(config);
        service.start();
        await().atMost(TIMEOUT).until(() -> service.streams().state() == KafkaStreams.State.RUNNING);

        Map<String, Object> props = new HashMap<>(config.kafka().clientProperties());
        props.put("schema.registry.url", stack.schemaRegistryUrl()); // the producers reach the registry directly
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, dev.omnistock.serde.AvroSerializer.class);
        producer = new KafkaProducer<>(props);
        raw = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterAll
    void stop() {
        producer.close();
        raw.close();
        service.close();
        registryProxy.close();
    }

    /** Runs first: the service has not read a stock movement yet, so its schema cache is cold. */
    @Test
    @Order(1)
    void recordsReadWhileTheRegistryIsDownWaitForItAndNoneIsDeadLettered() throws Exception {
        registryProxy.refuse();
        producer.send(new ProducerRecord<>(topics.stockMovements().name(), "SKU-OUTAGE", count("SKU-OUTAGE", "DC-1", 12))).get();

        // The service keeps trying (its stream thread replaced, with a pause) instead of skipping the record.
        // (A replaced thread ends on an uncaught exception, as Kafka Streams has it: not a test failure.)
        await().dontCatchUncaughtExceptions().atMost(TIMEOUT)
                .until(() -> service.threadsReplaced() >= 2 && registryProxy.refusedConnections() >= 2);
        assertThat(deadLetters()).as("nothing is dead-lettered while the registry is down").isEmpty();
        assertThat(positions("SKU-OUTAGE")).isEmpty();

        registryProxy.allow();
        await().dontCatchUncaughtExceptions().atMost(TIMEOUT).untilAsserted(() -> assertThat(positions("SKU-OUTAGE"))
                .extracting(InventoryPosition::getOnHand).containsExactly(12));
        assertThat(deadLetters()).isEmpty();
        assertThat(service.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
    }

    @Test
    @Order(2)
    void aRecordTheRulesRejectIsDeadLetteredAsTheBytesItCameIn() throws Exception {
        // Written by a newer producer, whose schema has a field this service does not know.
        Schema current = StockEvent.getClassSchema();
        Schema newer = withExtraField(current);
        int newerId = SchemaRegistry.connect(Map.of("schema.registry.url", stack.schemaRegistryUrl()))
                .register(Subjects.valueSubject(topics.stockMovements().name()), newer);
        GenericRecord event = asNewer(count("SKU-NEWER", "DC-1", 3), current, newer);
        event.put("note", "kept on replay");
        byte[] bytes = wireFormat(newerId, newer, event);
        // Keyed by another SKU: the rules reject it (one task must own a SKU).
        raw.send(new ProducerRecord<>(topics.stockMovements().name(), "SKU-OTHER".getBytes(StandardCharsets.UTF_8), bytes)).get();

        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(deadLetters()).anySatisfy(letter -> {
            assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("SKU-OTHER");
            assertThat(header(letter, DeadLetterHeaders.MESSAGE)).contains("is not the event's SKU");
            assertThat(letter.value()).as("the original bytes, the newer writer's field with them").isEqualTo(bytes);
        }));
    }

    @Test
    @Order(3)
    void theFeedSkipsARecordItCannotReadAndGoesOn() throws Exception {
        HttpResponse<InputStream> stream = openFeed("SKU-FEED-GOES-ON", KEY);
        assertThat(stream.statusCode()).isEqualTo(200);
        BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
        FeedEvents.next(lines, "ready", TIMEOUT);

        raw.send(new ProducerRecord<>(topics.inventoryAvailability().name(), "SKU-FEED-GOES-ON".getBytes(StandardCharsets.UTF_8),
                "not avro".getBytes(StandardCharsets.UTF_8))).get();
        producer.send(new ProducerRecord<>(topics.stockMovements().name(), "SKU-FEED-GOES-ON", count("SKU-FEED-GOES-ON", "DC-1", 4))).get();

        JsonNode change = JSON.readTree(FeedEvents.next(lines, "availability", TIMEOUT).get("data"));
        assertThat(change.at("/network/onHand").asInt()).isEqualTo(4);
        stream.body().close();
    }

    @Test
    @Order(4)
    void feedClientsBeyondTheCapAreTurnedAwayWithAProblem() throws Exception {
        List<HttpResponse<InputStream>> open = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            // A client an earlier test closed counts until a heartbeat finds it gone.
            HttpResponse<InputStream> stream = await().atMost(TIMEOUT).until(() -> openFeed("SKU-CAP", KEY), r -> r.statusCode() == 200);
            FeedEvents.next(new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8)), "ready", TIMEOUT);
            open.add(stream);
        }
        HttpResponse<InputStream> third = openFeed("SKU-CAP", KEY);
        assertThat(third.statusCode()).isEqualTo(503);
        assertThat(third.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(third.headers().firstValue("Retry-After")).isPresent();
        for (HttpResponse<InputStream> stream : open) {
            stream.body().close();
        }
    }

    @Test
    @Order(5)
    void theApiAndTheFeedWantAKey() throws Exception {
        HttpResponse<String> withoutKey = get("/v1/availability/SKU-OUTAGE", null);
        assertThat(withoutKey.statusCode()).isEqualTo(401);
        assertThat(withoutKey.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(get("/v1/availability/SKU-OUTAGE", "wrong-key").statusCode()).isEqualTo(401);
        assertThat(get("/v1/availability/SKU-OUTAGE", KEY).statusCode()).isEqualTo(200);
        assertThat(openFeed("SKU-OUTAGE", null).statusCode()).isEqualTo(401);
        assertThat(get("/health/live", null).statusCode()).as("health needs no key").isEqualTo(200);
    }

    @Test
    @Order(6)
    void topicsWhosePartitionsDoNotCorrespondAreRefusedAtStart(TestNamespace ns, @TempDir Path stateDir) {
        Topics mismatched = Topics.from(Config.of(Map.of("OMNISTOCK_TOPIC_PREFIX", ns.topic("mismatched."))));
        ns.createTopics(3, "mismatched." + "orders");
        // As a customer's cluster might have them: the internal answers topic with another count.
        ns.createTopics(2, mismatched.lineAnswers().name().substring(ns.topicPrefix().length()));
        InventoryConfig mismatchedConfig = InventoryConfig.from(Config.of(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers(),
                "SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl(),
                "OMNISTOCK_TOPIC_PREFIX", ns.topic("mismatched."),
                "OMNISTOCK_TOPIC_PARTITIONS", "3",
                "INVENTORY_APPLICATION_ID", ns.topic("mismatched"),
                "INVENTORY_STATE_DIR", stateDir.toString(),
                "INVENTORY_HTTP_PORT", Integer.toString(FreePorts.one()))));
        assertThat(mismatched.orders().name()).isEqualTo(mismatchedConfig.topics().orders().name());
        try (InventoryService refused = new InventoryService(mismatchedConfig)) {
            assertThatThrownBy(refused::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("must have equal partition counts")
                    .hasMessageContaining(mismatched.lineAnswers().name());
            assertThat(refused.streams().state()).isEqualTo(KafkaStreams.State.CREATED);
        }
    }

    @Test
    @Order(7)
    void aStreamThreadErrorThatRetryingCannotMendTurnsLivenessDown(TestNamespace ns, @TempDir Path stateDir) throws Exception {
        String input = ns.createTopics(1, "poison").get(0);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String())).foreach((key, value) -> {
            throw new IllegalStateException("a bug meets record " + key);
        });
        Properties props = new Properties();
        props.putAll(config.kafka().clientProperties());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, ns.topic("poisoned"));
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        int port = FreePorts.one();
        TaskWatch tasks = new TaskWatch(builder.build());
        try (KafkaStreams streams = tasks.streams(props)) {
            StreamThreadFailures.install(streams, "poisoned", (now, before) -> { });
            streams.start();
            try (InventoryApi api = new InventoryApi(streams, tasks, new HostInfo("127.0.0.1", port), "127.0.0.1", config.kafka(),
                    topics, 1024, Duration.ofSeconds(15), 10, Reader.keys(InventoryConfig.API_KEYS, ""),
                    RequestGuard.forService(InventoryConfig.ALLOWED_HOSTS, List.of("127.0.0.1"), List.of())).start()) {
                await().atMost(TIMEOUT).until(() -> streams.state() == KafkaStreams.State.RUNNING);
                assertThat(liveness(port).statusCode()).isEqualTo(200);

                raw.send(new ProducerRecord<>(input, "k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8))).get();
                await().atMost(TIMEOUT).until(() -> streams.state() == KafkaStreams.State.ERROR);
                HttpResponse<String> down = liveness(port);
                assertThat(down.statusCode()).isEqualTo(503);
                assertThat(JSON.readTree(down.body()).get("detail").asText()).contains("ERROR");

                // A request the service fails to answer gets an id to quote, not the exception's text.
                HttpResponse<String> failed = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/availability/SKU-1"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(failed.statusCode()).isEqualTo(500);
                String detail = JSON.readTree(failed.body()).get("detail").asText();
                assertThat(detail).contains("logged under id").doesNotContainIgnoringCase("state").doesNotContain("Exception");
            }
        }
    }

    // ---- helpers

    private HttpResponse<String> liveness(int port) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/live")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<InputStream> openFeed(String sku, String key) throws Exception {
        String query = "?sku=" + sku + (key == null ? "" : "&api_key=" + key);
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.httpPort() + "/v1/availability-feed" + query))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    private HttpResponse<String> get(String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.httpPort() + path));
        if (key != null) {
            request.header("X-Api-Key", key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<ConsumerRecord<byte[], byte[]>> deadLetters() {
        return TopicReader.readAll(stack.kafkaBootstrapServers(), topics.deadLetters().name(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private List<InventoryPosition> positions(String sku) {
        return TopicReader.readAll(stack.kafkaBootstrapServers(), topics.inventoryAvailability().name(), new StringDeserializer(),
                        topics.inventoryAvailability().valueSerde().deserializer()).stream()
                .filter(r -> r.key().equals(sku)).map(ConsumerRecord::value).toList();
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static Schema withExtraField(Schema schema) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : schema.getFields()) {
            fields.add(new Schema.Field(field, field.schema()));
        }
        fields.add(new Schema.Field("note", Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
                "added by a newer producer", Schema.Field.NULL_DEFAULT_VALUE));
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    private static GenericRecord asNewer(StockEvent event, Schema current, Schema newer) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(StockEvent.class).write(event, encoder);
        encoder.flush();
        return new GenericDatumReader<GenericRecord>(current, newer, GenericData.get())
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    }

    private static byte[] wireFormat(int schemaId, Schema schema, GenericRecord record) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema, GenericData.get()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
