package dev.omnistock.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnistock.ingestion.api.IngestionApi;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import dev.omnistock.testsupport.TopicReader;
import dev.omnistock.topics.DeadLetterHeaders;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Through the ingestion API and the inventory service: a channel's key acts on its own channel's
 * orders only. The API takes the web shop's cancel of a marketplace order (it holds no orders); the
 * inventory service refuses it and the order stays as it was, until the marketplace cancels it.
 */
@ExtendWith(RealStackExtension.class)
class OrderAuthorityIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WMS_KEY = "wms-authority-key";
    private static final String WEB_KEY = "web-authority-key";
    private static final String MARKETPLACE_KEY = "mp-authority-key";
    private final HttpClient http = HttpClient.newHttpClient();
    private IngestionToInventory services;

    @Test
    void aWebKeysCancelOfAMarketplaceOrderIsRefusedAndTheMarketplacesIsNot(RealStack stack, TestNamespace ns, @TempDir Path state)
            throws Exception {
        services = new IngestionToInventory(stack, ns);
        InventoryConfig config = services.inventoryConfig(ns.topic("inventory"), state);

        try (InventoryService service = new InventoryService(config);
             IngestionApi api = services.ingestion("WAREHOUSE:" + WMS_KEY + ",WEB:" + WEB_KEY + ",MARKETPLACE:" + MARKETPLACE_KEY)) {
            service.start();
            await().atMost(TIMEOUT).until(() -> service.streams().state() == KafkaStreams.State.RUNNING);
            assertThat(post(api, "/v1/stock/counts", WMS_KEY, "{\"sku\":\"SKU-A\",\"locationId\":\"DC\",\"onHand\":10}")).isEqualTo(202);
            assertThat(post(api, "/v1/orders", MARKETPLACE_KEY, "{\"orderId\":\"O-MP-1\",\"currency\":\"EUR\","
                    + "\"lines\":[{\"lineId\":\"1\",\"sku\":\"SKU-A\",\"quantity\":4,\"unitPrice\":9.99}]}")).isEqualTo(202);
            await().atMost(TIMEOUT).until(() -> "ACCEPTED".equals(status(config, "O-MP-1")));

            assertThat(post(api, "/v1/orders/O-MP-1/cancellations", WEB_KEY, "{\"wholeOrder\":true}")).as("the API holds no orders").isEqualTo(202);

            await().atMost(TIMEOUT).until(() -> deadLetterReasons(stack, config).contains(
                    "refused: a WEB key may not cancel order O-MP-1, which is a MARKETPLACE order"));
            assertThat(status(config, "O-MP-1")).isEqualTo("ACCEPTED");

            assertThat(post(api, "/v1/orders/O-MP-1/cancellations", MARKETPLACE_KEY, "{\"wholeOrder\":true}")).isEqualTo(202);
            await().atMost(TIMEOUT).until(() -> "CANCELLED".equals(status(config, "O-MP-1")));
        }
    }

    private String status(InventoryConfig config, String orderId) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.httpPort()
                + "/v1/orders/" + orderId)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return null;
        }
        JsonNode order = JSON.readTree(response.body());
        return order.get("status").asText();
    }

    private static List<String> deadLetterReasons(RealStack stack, InventoryConfig config) {
        return TopicReader.readAll(stack.kafkaBootstrapServers(), config.topics().deadLetters().name(), new ByteArrayDeserializer(),
                        new ByteArrayDeserializer()).stream()
                .map(r -> r.headers().lastHeader(DeadLetterHeaders.MESSAGE))
                .filter(h -> h != null).map(h -> new String(h.value(), StandardCharsets.UTF_8)).toList();
    }

    private int post(IngestionApi api, String path, String apiKey, String json) throws Exception {
        return services.post(api, path, apiKey, null, json).statusCode();
    }
}
