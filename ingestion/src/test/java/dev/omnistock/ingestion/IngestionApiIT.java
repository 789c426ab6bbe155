package dev.omnistock.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnistock.config.Config;
import dev.omnistock.events.Channel;
import dev.omnistock.events.InventorySettings;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.OrderPlaced;
import dev.omnistock.events.StockCounted;
import dev.omnistock.ingestion.api.IngestionApi;
import dev.omnistock.testsupport.FreePorts;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import dev.omnistock.testsupport.TopicReader;
import dev.omnistock.topics.TopicSpec;
import dev.omnistock.topics.Topics;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Through the real HTTP server into the real broker and registry. */
@ExtendWith(RealStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestionApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WEB_KEY = "web-test-key";
    private static final String MARKETPLACE_KEY = "marketplace-test-key";
    private static final String POS_KEY = "pos-test-key";
    private static final String WMS_KEY = "wms-test-key";
    /** A second warehouse system: its Idempotency-Keys are its own. */
    private static final String OTHER_WMS_KEY = "wms-2-test-key";
    private static final String ADMIN_KEY = "admin-test-key";

    private IngestionApi api;
    private Topics topics;
    private String bootstrap;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(RealStack stack, TestNamespace ns, @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
        java.nio.file.Path catalog = java.nio.file.Files.writeString(dir.resolve("skus.txt"), "# SKUs we sell\nSKU-MUG\nSKU-TSHIRT-M\n");
        int port = FreePorts.one();
        bootstrap = stack.kafkaBootstrapServers();
        Config config = Config.of(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl(),
                "OMNISTOCK_TOPIC_PREFIX", ns.topicPrefix(),
                "OMNISTOCK_TOPIC_PARTITIONS", "2",
                "INGESTION_HTTP_PORT", Integer.toString(port),
                "INGESTION_SKU_CATALOG", catalog.toString(),
                "INGESTION_API_KEYS", "WEB:" + WEB_KEY + ",MARKETPLACE:" + MARKETPLACE_KEY + ",STORE_POS:" + POS_KEY + ",WAREHOUSE:" + WMS_KEY + ",WAREHOUSE:" + OTHER_WMS_KEY
                        + ",ADMIN:" + ADMIN_KEY));
        topics = Topics.from(config);
        api = IngestionService.start(config);
    }

    @AfterAll
    void stop() {
        api.close();
    }

    private HttpResponse<String> send(String method, String path, String key, String idempotencyKey, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                // The till and warehouse adapters take CSV, every other endpoint JSON.
                .header("Content-Type", path.startsWith("/v1/adapters/pos/") || path.startsWith("/v1/adapters/wms/") ? "text/csv" : "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body)));
        if (key != null) {
            request.header("X-Api-Key", key);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, Object> order(String orderId) {
        return Map.of("orderId", orderId, "currency", "EUR", "lines", List.of(
                Map.of("lineId", "1", "sku", "SKU-TSHIRT-M", "quantity", 2, "unitPrice", new BigDecimal("19.99")),
                Map.of("lineId", "2", "sku", "SKU-MUG", "quantity", 1, "unitPrice", new BigDecimal("7.50"))));
    }

    private static String fixture(String name) throws IOException {
        try (var in = IngestionApiIT.class.getResourceAsStream("/fixtures/" + name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void aMarketplaceNotificationBecomesAnOrderAndItsUnknownItemIsReported() throws Exception {
        HttpResponse<String> response = send("POST", "/v1/adapters/marketplace/orders", MARKETPLACE_KEY, null, fixture("marketplace-order.json"));

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("accepted")).hasSize(1);
        assertThat(body.at("/rejected/0/message").asText()).contains("unknown SKU 'SKU-NOT-OURS'");
        OrderEvent event = recordsOn(topics.orders()).stream()
                .filter(r -> r.key().equals("305-1234567-7654321")).findFirst().orElseThrow().value();
        assertThat(event.getChannel()).isEqualTo(Channel.MARKETPLACE);
        assertThat(((OrderPlaced) event.getPayload()).getLines()).hasSize(2);
    }

    @Test
    void posSalesArePlacedAndShippedAtTheirStore() throws Exception {
        HttpResponse<String> response = send("POST", "/v1/adapters/pos/sales", POS_KEY, null, fixture("pos-sales.csv"));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(response.body()).at("/rejected/0/row").asInt()).isEqualTo(4);
        List<OrderEvent> sale = recordsOn(topics.orders()).stream().filter(r -> r.key().equals("POS-STORE-BERLIN-01-T-9001"))
                .map(ConsumerRecord::value).toList();
        assertThat(sale).extracting(e -> e.getPayload().getClass().getSimpleName()).containsExactly("OrderPlaced", "OrderShipped");
        assertThat(sale).allSatisfy(e -> assertThat(e.getChannel()).isEqualTo(Channel.STORE_POS));
    }

    @Test
    void aWarehouseSnapshotBecomesCountsAndBadRowsAreNamed() throws Exception {
        HttpResponse<String> response = send("POST", "/v1/adapters/wms/snapshots", WMS_KEY, null, fixture("wms-snapshot.csv"));

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("accepted")).hasSize(2);
        assertThat(body.get("rejected")).hasSize(2);
        Map<String, Integer> counted = new HashMap<>();
        recordsOn(topics.stockMovements()).stream()
                .filter(r -> r.value().getLocationId().equals("DC-EAST") && r.value().getPayload() instanceof StockCounted)
                .forEach(r -> counted.put(r.key(), ((StockCounted) r.value().getPayload()).getOnHand()));
        assertThat(counted).containsEntry("SKU-MUG", 120).containsEntry("SKU-TSHIRT-M", 80).doesNotContainKey("SKU-GHOST");
    }

    @Test
    void aCsvWithTheWrongHeaderIsRefusedWithAReason() throws Exception {
        HttpResponse<String> response = send("POST", "/v1/adapters/wms/snapshots", WMS_KEY, null, "sku,qty\nSKU-MUG,3\n");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("detail").asText()).contains("lacks column(s)");
    }

    @Test
    void anOrderBecomesItsCanonicalEventOnKafka() throws Exception {
        HttpResponse<String> response = send("POST", "/v1/orders", WEB_KEY, null, order("O-canonical"));

        assertThat(response.statusCode()).isEqualTo(202);
        String eventId = JSON.readTree(response.body()).get("eventId").asText();
        OrderEvent event = recordsOn(topics.orders()).stream()
                .filter(r -> r.key().equals("O-canonical")).findFirst().orElseThrow().value();
        assertThat(event.getEventId().toString()).isEqualTo(eventId);
        assertThat(event.getChannel()).isEqualTo(Channel.WEB);
        OrderPlaced placed = (OrderPlaced) event.getPayload();
        assertThat(placed.getLines()).hasSize(2);
        assertThat(placed.getLines().get(0).getUnitPrice()).isEqualTo(new BigDecimal("19.9900"));
    }

    @Test
    void theKeyDecidesTheChannel() throws Exception {
        assertThat(send("POST", "/v1/orders", MARKETPLACE_KEY, null, order("O-marketplace")).statusCode()).isEqualTo(202);
        OrderEvent event = recordsOn(topics.orders()).stream()
                .filter(r -> r.key().equals("O-marketplace")).findFirst().orElseThrow().value();
        assertThat(event.getChannel()).isEqualTo(Channel.MARKETPLACE);
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyGetsTheSameEventAndPublishesNothingMore() throws Exception {
        HttpResponse<String> first = send("POST", "/v1/orders", WEB_KEY, "retry-1", order("O-retry"));
        HttpResponse<String> again = send("POST", "/v1/orders", WEB_KEY, "retry-1", order("O-retry"));
        HttpResponse<String> otherBody = send("POST", "/v1/orders", WEB_KEY, "retry-1", order("O-something-else"));

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(again.body()).get("eventId")).isEqualTo(JSON.readTree(first.body()).get("eventId"));
        assertThat(otherBody.statusCode()).isEqualTo(422);
        assertThat(recordsOn(topics.orders()).stream().filter(r -> r.key().equals("O-retry"))).hasSize(1);
    }

    @Test
    void twoSystemsOfOneRoleUsingTheSameIdempotencyKeyAreTwoEvents() throws Exception {
        Map<String, Object> count = Map.of("sku", "SKU-TWO-WMS", "locationId", "DC-1", "onHand", 4);
        HttpResponse<String> first = send("POST", "/v1/stock/counts", WMS_KEY, "count-1", count);
        HttpResponse<String> second = send("POST", "/v1/stock/counts", OTHER_WMS_KEY, "count-1", count);

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(second.body()).get("eventId")).isNotEqualTo(JSON.readTree(first.body()).get("eventId"));
        assertThat(recordsOn(topics.stockMovements()).stream().filter(r -> r.key().equals("SKU-TWO-WMS"))).hasSize(2);
    }

    @Test
    void badInputGetsFieldErrorsAndPublishesNothing() throws Exception {
        Map<String, Object> bad = Map.of("orderId", "O-bad", "currency", "euro", "lines", List.of(
                Map.of("lineId", "1", "sku", "SKU-1", "quantity", 0, "unitPrice", 1)));
        HttpResponse<String> response = send("POST", "/v1/orders", WEB_KEY, null, bad);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        List<String> fields = new ArrayList<>();
        problem.get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertThat(fields).containsExactlyInAnyOrder("currency", "lines[0].quantity");
        assertThat(send("POST", "/v1/orders", WEB_KEY, null, "{not json").statusCode()).isEqualTo(400);
        // Published after the bad requests: when it is on the topic, anything the bad ones had sent would be too.
        assertThat(send("POST", "/v1/orders", WEB_KEY, null, order("O-after-bad")).statusCode()).isEqualTo(202);
        List<String> keys = recordsOn(topics.orders()).stream().map(ConsumerRecord::key).toList();
        assertThat(keys).contains("O-after-bad").doesNotContain("O-bad");
    }

    @Test
    void valuesOfTheWrongTypeAreNotCoercedButNamed() throws Exception {
        String fractional = "{\"orderId\":\"O-frac\",\"currency\":\"EUR\",\"lines\":[{\"lineId\":\"1\",\"sku\":\"SKU-1\",\"quantity\":1.5,\"unitPrice\":1}]}";
        String numericId = "{\"orderId\":12345,\"currency\":\"EUR\",\"lines\":[{\"lineId\":\"1\",\"sku\":\"SKU-1\",\"quantity\":1,\"unitPrice\":1}]}";
        String textCount = "{\"sku\":\"SKU-1\",\"locationId\":\"DC-1\",\"onHand\":\"12\"}";
        assertFieldError(send("POST", "/v1/orders", WEB_KEY, null, fractional), "lines[0].quantity", "whole number");
        assertFieldError(send("POST", "/v1/orders", WEB_KEY, null, numericId), "orderId", "string");
        assertFieldError(send("POST", "/v1/stock/counts", WMS_KEY, null, textCount), "onHand", "whole number");
        assertThat(recordsOn(topics.orders()).stream().map(ConsumerRecord::key)).doesNotContain("O-frac", "12345");
    }

    private static void assertFieldError(HttpResponse<String> response, String field, String message) throws Exception {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        JsonNode error = JSON.readTree(response.body()).at("/errors/0");
        assertThat(error.get("field").asText()).isEqualTo(field);
        assertThat(error.get("message").asText()).contains(message);
    }

    @Test
    void aBodyOverTheLimitGetsAProblem() throws Exception {
        HttpResponse<String> response = send("POST", "/v1/stock/counts/batch", WMS_KEY, null, "[" + " ".repeat(10 * 1024 * 1024) + "]");
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(JSON.readTree(response.body()).get("detail").asText()).contains("MB");
    }

    @Test
    void eachAdapterTakesOnlyItsOwnChannelsKeys() throws Exception {
        HttpResponse<String> webTillSales = send("POST", "/v1/adapters/pos/sales", WEB_KEY, null, fixture("pos-sales.csv"));
        HttpResponse<String> posMarketplace = send("POST", "/v1/adapters/marketplace/orders", POS_KEY, null, fixture("marketplace-order.json"));
        HttpResponse<String> webSnapshot = send("POST", "/v1/adapters/wms/snapshots", WEB_KEY, null, fixture("wms-snapshot.csv"));
        for (HttpResponse<String> refused : List.of(webTillSales, posMarketplace, webSnapshot)) {
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        }
        assertThat(JSON.readTree(webTillSales.body()).get("detail").asText()).contains("STORE_POS");
    }

    @Test
    void stockMovementsNeedAWarehouseOrAdminKeySettingsAnAdminKeyAndOrdersAChannelKey() throws Exception {
        Map<String, Object> count = Map.of("sku", "SKU-ROLE", "locationId", "STORE-1", "onHand", 3);
        Map<String, Object> setting = Map.of("sku", "SKU-ROLE", "lowStockThreshold", 2);
        List<HttpResponse<String>> refused = List.of(
                send("POST", "/v1/stock/counts", WEB_KEY, null, count),
                send("POST", "/v1/stock/counts/batch", POS_KEY, null, Map.of("counts", List.of(count))),
                send("POST", "/v1/stock/adjustments", MARKETPLACE_KEY, null, Map.of("sku", "SKU-ROLE", "locationId", "STORE-1",
                        "delta", -1, "reason", "DAMAGE")),
                send("PUT", "/v1/settings", WEB_KEY, null, setting),
                send("PUT", "/v1/settings", WMS_KEY, null, setting),
                send("POST", "/v1/orders", WMS_KEY, null, order("O-from-a-warehouse")),
                send("POST", "/v1/orders", ADMIN_KEY, null, order("O-from-an-admin")),
                send("POST", "/v1/orders/O-1/cancellations", WMS_KEY, null, Map.of("wholeOrder", true)));
        for (HttpResponse<String> response : refused) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        }
        assertThat(JSON.readTree(refused.get(0).body()).get("detail").asText())
                .isEqualTo("This WEB channel key may not post stock movements; that takes a WAREHOUSE or ADMIN key (INGESTION_API_KEYS)");

        assertThat(send("POST", "/v1/stock/counts", WMS_KEY, null, count).statusCode()).isEqualTo(202);
        assertThat(send("POST", "/v1/stock/counts", ADMIN_KEY, null, count).statusCode()).isEqualTo(202);
        assertThat(send("POST", "/v1/adapters/wms/snapshots", ADMIN_KEY, null, fixture("wms-snapshot.csv")).statusCode()).isEqualTo(202);
    }

    /** The inventory service decides with the role whose orders the command may touch. */
    @Test
    void anOrderCommandCarriesTheRoleOfItsKey() throws Exception {
        Map<String, Object> shipment = Map.of("shipmentId", "SH-ROLE", "locationId", "DC-EAST",
                "lines", List.of(Map.of("lineId", "1", "sku", "SKU-MUG", "quantity", 1)));
        assertThat(send("POST", "/v1/orders/O-role/cancellations", WEB_KEY, null, Map.of("wholeOrder", true)).statusCode()).isEqualTo(202);
        assertThat(send("POST", "/v1/orders/O-role/shipments", WMS_KEY, null, shipment).statusCode()).isEqualTo(202);
        assertThat(send("POST", "/v1/orders/O-role/shipments", ADMIN_KEY, null, shipment).statusCode()).isEqualTo(202);

        List<String> sent = recordsOn(topics.orders()).stream().filter(r -> r.key().equals("O-role"))
                .map(r -> r.value().getChannel() + " " + r.value().getKeyRole()).toList();
        assertThat(sent).containsExactly("WEB CHANNEL", "WAREHOUSE WAREHOUSE", "UNKNOWN ADMIN");
    }

    @Test
    void anIdWithASlashIsRefusedAsTheInventoryApiCouldNotLookItUp() throws Exception {
        HttpResponse<String> response = send("POST", "/v1/orders", WEB_KEY, null, order("O/2001"));

        assertFieldError(response, "orderId", "letters, digits and . _ : -");
    }

    @Test
    void withoutAValidKeyNothingIsAccepted() throws Exception {
        HttpResponse<String> none = send("POST", "/v1/orders", null, null, order("O-anonymous"));
        HttpResponse<String> wrong = send("POST", "/v1/orders", "guessed", null, order("O-anonymous"));

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(wrong.body()).get("detail").asText()).contains("X-Api-Key");
    }

    @Test
    void aBatchOfCountsAcceptsTheGoodRowsAndNamesTheBadOnes() throws Exception {
        Map<String, Object> batch = Map.of("counts", List.of(
                Map.of("sku", "SKU-BATCH-1", "locationId", "STORE-1", "onHand", 12),
                Map.of("sku", "SKU-BATCH-2", "locationId", "STORE-1", "onHand", -3),
                Map.of("sku", "SKU-BATCH-3", "locationId", "STORE-1", "onHand", 0, "countType", "STORE_COUNT")));
        HttpResponse<String> response = send("POST", "/v1/stock/counts/batch", WMS_KEY, null, batch);

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("accepted")).hasSize(2);
        assertThat(body.at("/rejected/0/index").asInt()).isEqualTo(1);
        assertThat(body.at("/rejected/0/errors/0/field").asText()).isEqualTo("counts[1].onHand");
        Map<String, Integer> counted = new HashMap<>();
        recordsOn(topics.stockMovements()).stream().filter(r -> r.key().startsWith("SKU-BATCH-"))
                .forEach(r -> counted.put(r.key(), ((StockCounted) r.value().getPayload()).getOnHand()));
        assertThat(counted).containsExactlyInAnyOrderEntriesOf(Map.of("SKU-BATCH-1", 12, "SKU-BATCH-3", 0));
    }

    @Test
    void settingsGoToTheCompactedTopicUnderTheirSkuAndLocation() throws Exception {
        HttpResponse<String> response = send("PUT", "/v1/settings", ADMIN_KEY, null,
                Map.of("sku", "SKU-SET", "locationId", "STORE-1", "lowStockThreshold", 4, "safetyStock", 1));

        assertThat(response.statusCode()).isEqualTo(202);
        InventorySettings settings = recordsOn(topics.inventorySettings()).stream()
                .filter(r -> r.key().equals("SKU-SET@STORE-1")).findFirst().orElseThrow().value();
        assertThat(settings.getLowStockThreshold()).isEqualTo(4);
        assertThat(settings.getSafetyStock()).isEqualTo(1);
    }

    @Test
    void theApiDescribesItself() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/openapi.json")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(response.body()).get("paths").has("/v1/stock/counts/batch")).isTrue();
    }

    /** Everything on the topic now: the API answered 202 only after the broker acknowledged. */
    private <V> List<ConsumerRecord<String, V>> recordsOn(TopicSpec<String, V> topic) {
        return TopicReader.readAll(bootstrap, topic.name(), new StringDeserializer(), topic.valueSerde().deserializer());
    }
}
