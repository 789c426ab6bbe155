package dev.omnistock.inventory;

import static dev.omnistock.inventory.topology.InventoryEvents.cancelWhole;
import static dev.omnistock.inventory.topology.InventoryEvents.count;
import static dev.omnistock.inventory.topology.InventoryEvents.placed;
import static dev.omnistock.inventory.topology.InventoryEvents.returned;
import static dev.omnistock.inventory.topology.InventoryEvents.shipped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnistock.config.Config;
import dev.omnistock.events.Channel;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.OrderStatusChanged;
import dev.omnistock.events.StockEvent;
import dev.omnistock.inventory.topology.InventoryTopology;
import dev.omnistock.testsupport.ExposureChecks;
import dev.omnistock.testsupport.FreePorts;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import dev.omnistock.testsupport.TopicReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The storefront API on two instances of the service, against the real broker and registry. */
@ExtendWith(RealStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InventoryApiIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SKUS = IntStream.range(0, 24).mapToObj(i -> "SKU-API-" + i).toList();

    private InventoryService first;
    private InventoryService second;
    private InventoryConfig firstConfig;
    private InventoryConfig secondConfig;
    private KafkaProducer<String, StockEvent> producer;
    private KafkaProducer<String, OrderEvent> orderProducer;
    private final HttpClient http = HttpClient.newHttpClient();


    private static InventoryConfig config(RealStack stack, TestNamespace ns, Path stateDir, int feedMaxPendingKb,
                                          int feedHeartbeatMs) {
        return InventoryConfig.from(Config.of(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers(),
                "SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl(),
                "OMNISTOCK_TOPIC_PREFIX", ns.topicPrefix(),
                "OMNISTOCK_TOPIC_PARTITIONS", "4",
                "INVENTORY_APPLICATION_ID", ns.topic("inventory-api"),
                "INVENTORY_STATE_DIR", stateDir.toString(),
                "INVENTORY_FEED_MAX_PENDING_KB", Integer.toString(feedMaxPendingKb),
                "INVENTORY_FEED_HEARTBEAT_MS", Integer.toString(feedHeartbeatMs),
                "INVENTORY_HTTP_PORT", Integer.toString(FreePorts.one()))));
    }

    @BeforeAll
    void startTwoInstances(RealStack stack, TestNamespace ns, @TempDir Path stateDir) throws Exception {
        firstConfig = config(stack, ns, stateDir.resolve("first"), 8 * 1024, 15_000);
        // Below the flood of the stalled-client test, above what one poll of the topic holds (500 changes).
        secondConfig = config(stack, ns, stateDir.resolve("second"), 1024, 500);
        first = new InventoryService(firstConfig);
        second = new InventoryService(secondConfig);
        Instances.startTogether(TIMEOUT, first, second);

        producer = Instances.producer(firstConfig);
        orderProducer = Instances.producer(firstConfig);
        for (int i = 0; i < SKUS.size(); i++) {
            producer.send(new ProducerRecord<>(firstConfig.topics().stockMovements().name(), SKUS.get(i), count(SKUS.get(i), "DC-EAST", 100 + i)));
        }
        producer.flush();
    }

    @AfterAll
    void stop() {
        producer.close();
        orderProducer.close();
        second.close();
        first.close();
    }

    private HttpResponse<String> get(InventoryConfig instance, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(InventoryConfig instance, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.httpPort() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aMalformedBatchIsAProblemThatSaysWhereNotTheParsersText() throws Exception {
        HttpResponse<String> array = post(firstConfig, "/v1/availability/batch", "[\"SKU-1\"]");
        assertThat(array.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(array.body()).get("detail").asText()).startsWith("Expected JSON like").doesNotContain("java.util");
        HttpResponse<String> cut = post(firstConfig, "/v1/availability/batch", "{\"skus\": [");
        assertThat(JSON.readTree(cut.body()).get("detail").asText()).contains("line 1, column").doesNotContain("Source")
                .doesNotContain("Exception");
    }

    @Test
    void aPageInTheOperatorsBrowserCannotUseTheOpenApiButItsClientsCan() throws Exception {
        int port = firstConfig.httpPort();
        ExposureChecks.assertRefusesBrowserAttacks(port, "/v1/availability/batch", Map.of());
        // The dashboard's relay and the other instance: JSON, to a name of this service (503 while the stores open).
        String batch = JSON.writeValueAsString(Map.of("skus", SKUS));
        await().atMost(TIMEOUT).untilAsserted(() -> {
            ExposureChecks.Answer found = ExposureChecks.send(port, "POST", "/v1/availability/batch", Map.of("Host", "localhost:" + port,
                    "Origin", "http://127.0.0.1:" + port, "Content-Type", "application/json"), batch);
            assertThat(found.status()).as(found.body()).isEqualTo(200);
            assertThat(JSON.readTree(found.body()).get("found")).hasSize(SKUS.size());
        });
    }

    @Test
    void everySkuIsAnsweredByEitherInstanceWhicheverHostsIt() throws Exception {
        HostInfo secondHost = new HostInfo("127.0.0.1", secondConfig.httpPort());
        long hostedBySecond = SKUS.stream().filter(sku -> first.streams()
                .queryMetadataForKey(InventoryTopology.LEDGER_STORE, sku, Serdes.String().serializer()).activeHost().equals(secondHost)).count();
        assertThat(hostedBySecond).as("SKUs the second instance hosts, so the first must route").isBetween(1L, (long) SKUS.size() - 1);

        await().atMost(TIMEOUT).untilAsserted(() -> {
            for (int i = 0; i < SKUS.size(); i++) {
                HttpResponse<String> response = get(firstConfig, "/v1/availability/" + SKUS.get(i));
                assertThat(response.statusCode()).as(SKUS.get(i)).isEqualTo(200);
                JsonNode body = JSON.readTree(response.body());
                assertThat(body.at("/network/onHand").asInt()).isEqualTo(100 + i);
                assertThat(body.at("/locations/0/locationId").asText()).isEqualTo("DC-EAST");
            }
        });
    }

    @Test
    void aBatchAnswersFoundAndUnknownSkusFromBothInstances() throws Exception {
        await().atMost(TIMEOUT).untilAsserted(() -> {
            HttpResponse<String> response = post(secondConfig, "/v1/availability/batch",
                    JSON.writeValueAsString(Map.of("skus", List.of(SKUS.get(0), SKUS.get(1), SKUS.get(2), SKUS.get(3), "SKU-NEVER"))));
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.get("found")).hasSize(4);
            assertThat(body.get("notFound").get(0).asText()).isEqualTo("SKU-NEVER");
        });
    }

    @Test
    void badRequestsGetProblemDetails() throws Exception {
        HttpResponse<String> unknown = get(firstConfig, "/v1/availability/SKU-NEVER-SEEN");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(JSON.readTree(unknown.body()).get("status").asInt()).isEqualTo(404);

        HttpResponse<String> invalid = get(firstConfig, "/v1/availability/%20bad%20sku");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(invalid.body()).get("detail").asText()).contains("is not a SKU");

        String tooMany = JSON.writeValueAsString(Map.of("skus", IntStream.range(0, 1_001).mapToObj(i -> "S" + i).toList()));
        HttpResponse<String> tooLarge = post(firstConfig, "/v1/availability/batch", tooMany);
        assertThat(tooLarge.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(tooLarge.body()).get("detail").asText()).contains("at most 1000");

        assertThat(post(firstConfig, "/v1/availability/batch", "not json").statusCode()).isEqualTo(400);

        HttpResponse<String> notAnEventStream = get(firstConfig, "/v1/availability-feed");
        assertThat(notAnEventStream.statusCode()).isEqualTo(406);
        assertThat(JSON.readTree(notAnEventStream.body()).get("detail").asText()).contains("text/event-stream");
    }

    @Test
    void healthReadinessAndTheOpenApiDocument() throws Exception {
        assertThat(get(firstConfig, "/health/live").statusCode()).isEqualTo(200);
        assertThat(get(secondConfig, "/health/ready").statusCode()).isEqualTo(200);
        JsonNode openApi = JSON.readTree(get(firstConfig, "/openapi.json").body());
        assertThat(openApi.get("paths").has("/v1/availability/{sku}")).isTrue();
    }

    @Test
    void theFeedOnOneInstanceCarriesChangesOfSkusTheOtherHosts() throws Exception {
        HostInfo firstHost = new HostInfo("127.0.0.1", firstConfig.httpPort());
        String skuOnFirst = IntStream.range(0, 200).mapToObj(i -> "SKU-FEED-" + i)
                .filter(sku -> first.streams().queryMetadataForKey(InventoryTopology.LEDGER_STORE, sku, Serdes.String().serializer())
                        .activeHost().equals(firstHost))
                .findFirst().orElseThrow();
        HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + secondConfig.httpPort() + "/v1/availability-feed?sku=" + skuOnFirst))
                        .header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
        assertThat(readEvent(lines, "ready").get("data")).contains(skuOnFirst);

        producer.send(new ProducerRecord<>(firstConfig.topics().stockMovements().name(), skuOnFirst, count(skuOnFirst, "STORE-9", 42))).get();

        Map<String, String> event = readEvent(lines, "availability");
        JsonNode data = JSON.readTree(event.get("data"));
        assertThat(data.get("sku").asText()).isEqualTo(skuOnFirst);
        assertThat(data.at("/network/onHand").asInt()).isEqualTo(42);
        assertThat(event.get("id")).as("the event id is the position's version").isEqualTo(data.get("version").asText());
        stream.body().close();
    }

    /** Asked on the instance that does not host the order, with its feed open on that instance too. */
    @Test
    void anOrderIsFollowedThroughPlacePartialShipCancelAndReturn() throws Exception {
        HostInfo firstHost = new HostInfo("127.0.0.1", firstConfig.httpPort());
        String orderId = IntStream.range(0, 200).mapToObj(i -> "O-TRACK-" + i)
                .filter(id -> first.streams().queryMetadataForKey(InventoryTopology.ORDER_STORE, id, Serdes.String().serializer())
                        .activeHost().equals(firstHost))
                .findFirst().orElseThrow();
        HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + secondConfig.httpPort() + "/v1/orders/" + orderId + "/events"))
                        .header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
        assertThat(readEvent(lines, "ready").get("data")).contains(orderId);
        String orders = firstConfig.topics().orders().name();
        // SKUs of its own: the other tests check the shared SKUs' stock.
        for (String sku : List.of("SKU-TRACK-A", "SKU-TRACK-B")) {
            producer.send(new ProducerRecord<>(firstConfig.topics().stockMovements().name(), sku, count(sku, "DC-EAST", 10))).get();
        }

        OrderEvent placement = placed(orderId, Channel.WEB, "SKU-TRACK-A:3", "SKU-TRACK-B:2");
        orderProducer.send(new ProducerRecord<>(orders, orderId, placement)).get();
        awaitStatus(orderId, "ACCEPTED");
        orderProducer.send(new ProducerRecord<>(orders, orderId, shipped(orderId, "DC-EAST", "SKU-TRACK-A", 2))).get();
        awaitStatus(orderId, "PARTIALLY_SHIPPED");
        // Nothing left to ship once the rest is cancelled: shipped, its cancelled units on its lines.
        orderProducer.send(new ProducerRecord<>(orders, orderId, cancelWhole(orderId))).get();
        awaitStatus(orderId, "SHIPPED");
        orderProducer.send(new ProducerRecord<>(orders, orderId, returned(orderId, "DC-EAST", "SKU-TRACK-A", 1, true))).get();
        JsonNode order = awaitStatus(orderId, "PARTIALLY_RETURNED");

        JsonNode first = order.at("/lines/0");
        assertThat(List.of(first.get("sku").asText(), first.get("ordered").asInt(), first.get("reserved").asInt(), first.get("shipped").asInt(),
                first.get("cancelled").asInt(), first.get("returned").asInt(), first.get("open").asInt(), first.at("/reservedAt/0/locationId").asText()))
                .containsExactly("SKU-TRACK-A", 3, 3, 2, 1, 1, 0, "DC-EAST");
        JsonNode second = order.at("/lines/1");
        assertThat(List.of(second.get("shipped").asInt(), second.get("cancelled").asInt(), second.get("open").asInt())).containsExactly(0, 2, 0);
        // Placed, decided (a line's answer while the other waits is no news), shipped, cancelled, returned:
        // one change each, numbered without gaps.
        List<String> timeline = new ArrayList<>();
        order.get("timeline").forEach(change -> timeline.add(change.get("sequence").asInt() + " " + change.get("status").asText()));
        assertThat(timeline).containsExactly("1 PLACED", "2 ACCEPTED", "3 PARTIALLY_SHIPPED", "4 SHIPPED", "5 PARTIALLY_RETURNED");

        // The feed told the same changes once each committed.
        List<String> told = new ArrayList<>();
        while (told.size() < timeline.size()) {
            Map<String, String> event = readEvent(lines, "order-status");
            JsonNode change = JSON.readTree(event.get("data"));
            assertThat(event.get("id")).as("the event id is the sequence").isEqualTo(change.get("sequence").asText());
            told.add(change.get("sequence").asInt() + " " + change.get("status").asText());
        }
        assertThat(told).isEqualTo(timeline);
        stream.body().close();

        // And so did order-status (once the last transaction commits), each change naming the status before it.
        List<List<OrderStatusChanged>> read = new ArrayList<>();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            read.add(0, TopicReader.readAll(firstConfig.kafka().bootstrapServers(), firstConfig.topics().orderStatus().name(),
                            Serdes.String().deserializer(), firstConfig.topics().orderStatus().valueSerde().deserializer()).stream()
                    .filter(r -> r.key().equals(orderId)).map(r -> r.value()).toList());
            assertThat(read.get(0)).extracting(c -> c.getSequence() + " " + c.getStatus()).isEqualTo(timeline);
        });
        List<OrderStatusChanged> changes = read.get(0);
        for (int i = 1; i < changes.size(); i++) {
            assertThat(changes.get(i).getPreviousStatus()).isEqualTo(changes.get(i - 1).getStatus());
        }
        assertThat(changes.get(4).getChangeId()).isEqualTo(orderId + "/" + placement.getEventId() + "/5");
    }

    @Test
    void anUnknownOrderIsA404AndAMalformedIdA400() throws Exception {
        // While the two instances rebalance the store may be away: 503, to retry; then 404.
        List<Integer> answers = new ArrayList<>();
        HttpResponse<String>[] last = new HttpResponse[1];
        await().atMost(TIMEOUT).until(() -> {
            last[0] = get(secondConfig, "/v1/orders/O-NEVER-PLACED");
            answers.add(last[0].statusCode());
            return last[0].statusCode() == 404;
        });
        assertThat(answers).allMatch(status -> status == 404 || status == 503);
        HttpResponse<String> unknown = last[0];
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        HttpResponse<String> malformed = get(secondConfig, "/v1/orders/" + "-bad*id");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(malformed.body()).get("title").asText()).isEqualTo("Invalid order id");
    }

    private JsonNode awaitStatus(String orderId, String status) {
        JsonNode[] order = new JsonNode[1];
        await().atMost(TIMEOUT).untilAsserted(() -> {
            HttpResponse<String> response = get(secondConfig, "/v1/orders/" + orderId);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            order[0] = JSON.readTree(response.body());
            assertThat(order[0].get("status").asText()).isEqualTo(status);
        });
        return order[0];
    }

    @Test
    void aQuietFeedGetsHeartbeats() throws Exception {
        HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + secondConfig.httpPort() + "/v1/availability-feed?sku=SKU-NEVER-CHANGES"))
                        .header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
        readEvent(lines, "ready");

        // Every 500 ms on this instance: two within 5 s show that they repeat.
        List<String> comments = CompletableFuture.supplyAsync(() -> {
            try {
                List<String> seen = new ArrayList<>();
                for (String line; seen.size() < 2 && (line = lines.readLine()) != null; ) {
                    assertThat(line).as("a quiet feed carries nothing but heartbeats").matches("|:.*");
                    if (line.startsWith(":")) {
                        seen.add(line);
                    }
                }
                return seen;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).get(5, TimeUnit.SECONDS);
        assertThat(comments).containsExactly(": heartbeat", ": heartbeat");
        stream.body().close();
    }

    @Test
    void aSubscriberThatStopsReadingDoesNotHoldUpTheOthersAndIsClosedOnceTooFarBehind() throws Exception {
        // A client that never reads, with a small receive buffer: the changes for it pile up at the server.
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(4_096);
            stalled.connect(new InetSocketAddress("127.0.0.1", secondConfig.httpPort()));
            stalled.getOutputStream().write(("GET /v1/availability-feed HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            stalled.getOutputStream().flush();
            String marker = "SKU-AFTER-FLOOD";
            HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + secondConfig.httpPort() + "/v1/availability-feed?sku=" + marker))
                            .header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
            readEvent(lines, "ready");

            // About 10 MB of changes for the stalled client, far more than the sockets between it and the server hold.
            for (int i = 0; i < 30_000; i++) {
                String sku = "SKU-FLOOD-" + (i % 500);
                producer.send(new ProducerRecord<>(firstConfig.topics().stockMovements().name(), sku, count(sku, "DC-EAST", i)));
            }
            producer.send(new ProducerRecord<>(firstConfig.topics().stockMovements().name(), marker, count(marker, "DC-EAST", 7))).get();

            // Held up, it would never come; on a loaded machine the 30,000 counts before it take a while to apply.
            JsonNode data = JSON.readTree(readEvent(lines, "availability", Duration.ofSeconds(120)).get("data"));
            assertThat(data.get("sku").asText()).isEqualTo(marker);
            stream.body().close();

            // More than 1 MB waited for the stalled client, so the server closed it: what reached its
            // socket ends in end-of-stream. Were it still open, the read would time out instead.
            stalled.setSoTimeout(20_000);
            InputStream in = stalled.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            long received = 0;
            for (int n; (n = in.read(buffer)) != -1; ) {
                received += n;
            }
            assertThat(received).as("bytes the stalled client got before the server closed it").isPositive();
        }
    }

    /** The fields (id, event, data) of the next event of that name, within the timeout. */
    private static Map<String, String> readEvent(BufferedReader lines, String eventName) throws Exception {
        return readEvent(lines, eventName, TIMEOUT);
    }

    private static Map<String, String> readEvent(BufferedReader lines, String eventName, Duration timeout) throws Exception {
        return FeedEvents.next(lines, eventName, timeout);
    }
}
