package dev.omnistock.inventory;

import dev.omnistock.config.Config;
import dev.omnistock.ingestion.IngestionService;
import dev.omnistock.ingestion.api.IngestionApi;
import dev.omnistock.testsupport.FreePorts;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.TestNamespace;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The ingestion API in front of the inventory service, on the test stack under a test's namespace. */
final class IngestionToInventory {

    private final Map<String, String> shared;
    private final HttpClient http = HttpClient.newHttpClient();

    IngestionToInventory(RealStack stack, TestNamespace ns) {
        this.shared = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers(),
                "SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl(),
                "OMNISTOCK_TOPIC_PREFIX", ns.topicPrefix(),
                "OMNISTOCK_TOPIC_PARTITIONS", "2");
    }

    InventoryConfig inventoryConfig(String applicationId, Path state) {
        Map<String, String> env = new HashMap<>(shared);
        env.putAll(Map.of("INVENTORY_APPLICATION_ID", applicationId, "INVENTORY_STATE_DIR", state.toString(),
                "INVENTORY_HTTP_PORT", Integer.toString(FreePorts.one())));
        return InventoryConfig.from(Config.of(env));
    }

    /** @param keys INGESTION_API_KEYS */
    IngestionApi ingestion(String keys) {
        Map<String, String> env = new HashMap<>(shared);
        env.put("INGESTION_HTTP_PORT", Integer.toString(FreePorts.one()));
        env.put("INGESTION_API_KEYS", keys);
        return IngestionService.start(Config.of(env));
    }

    /** A JSON POST to the ingestion API, under an Idempotency-Key when one is given. */
    HttpResponse<String> post(IngestionApi api, String path, String apiKey, String idempotencyKey, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .header("X-Api-Key", apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
