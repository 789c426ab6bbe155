package dev.omnistock.inventory;

import static dev.omnistock.inventory.topology.InventoryEvents.placed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.omnistock.config.Config;
import dev.omnistock.events.Channel;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.inventory.topology.InventoryTopology;
import dev.omnistock.testsupport.FreePorts;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
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

/**
 * Who reads which order, on two instances: a storefront's key its own channel's orders (another
 * channel's is a 404, as an unknown one), an agent's key any order, a plain key none. Asked on the
 * instance that does not hold the order, so the rule holds through the routing too.
 */
@ExtendWith(RealStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrderReadersIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String WEB_KEY = "web-storefront-key";
    private static final String APP_KEY = "app-storefront-key";
    private static final String AGENT_KEY = "service-agent-key";
    private static final String PLAIN_KEY = "dashboard-key";
    private static final int HEARTBEAT_MS = 200;

    private InventoryService first;
    private InventoryService second;
    private InventoryConfig firstConfig;
    private InventoryConfig secondConfig;
    private KafkaProducer<String, OrderEvent> producer;
    private final HttpClient http = HttpClient.newHttpClient();

    private static InventoryConfig config(RealStack stack, TestNamespace ns, Path stateDir) {
        return InventoryConfig.from(Config.of(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers(),
                "SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl(),
                "OMNISTOCK_TOPIC_PREFIX", ns.topicPrefix(),
                "OMNISTOCK_TOPIC_PARTITIONS", "4",
                "INVENTORY_APPLICATION_ID", ns.topic("inventory-readers"),
                "INVENTORY_STATE_DIR", stateDir.toString(),
                "INVENTORY_FEED_HEARTBEAT_MS", Integer.toString(HEARTBEAT_MS),
                "INVENTORY_API_KEYS", "WEB:" + WEB_KEY + ",MOBILE_APP:" + APP_KEY + ",AGENT:" + AGENT_KEY + "," + PLAIN_KEY,
                "INVENTORY_HTTP_PORT", Integer.toString(FreePorts.one()))));
    }

    @BeforeAll
    void startTwoInstances(RealStack stack, TestNamespace ns, @TempDir Path stateDir) {
        firstConfig = config(stack, ns, stateDir.resolve("first"));
        secondConfig = config(stack, ns, stateDir.resolve("second"));
        first = new InventoryService(firstConfig);
        second = new InventoryService(secondConfig);
        Instances.startTogether(TIMEOUT, first, second);
        producer = Instances.producer(firstConfig);
    }

    @AfterAll
    void stop() {
        producer.close();
        second.close();
        first.close();
    }

    /** An order id whose order the first instance holds. */
    private String heldByFirst(String prefix) {
        HostInfo firstHost = new HostInfo("127.0.0.1", firstConfig.httpPort());
        return IntStream.range(0, 200).mapToObj(i -> prefix + i)
                .filter(id -> first.streams().queryMetadataForKey(InventoryTopology.ORDER_STORE, id, Serdes.String().serializer())
                        .activeHost().equals(firstHost))
                .findFirst().orElseThrow();
    }

    private HttpResponse<String> get(InventoryConfig instance, String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.httpPort() + path));
        if (key != null) {
            request.header("X-Api-Key", key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private BufferedReader openFeed(String orderId, String key) throws Exception {
        HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + secondConfig.httpPort()
                        + "/v1/orders/" + orderId + "/events?api_key=" + key)).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
        FeedEvents.next(lines, "ready", TIMEOUT);
        return lines;
    }

    @Test
    void aStorefrontReadsItsOwnChannelsOrdersAndAnAgentAnyOrder() throws Exception {
        String orderId = heldByFirst("O-APP-");
        producer.send(new ProducerRecord<>(firstConfig.topics().orders().name(), orderId, placed(orderId, Channel.MOBILE_APP, "SKU-R:1"))).get();
        String path = "/v1/orders/" + orderId;
        await().atMost(TIMEOUT).until(() -> get(secondConfig, path, AGENT_KEY).statusCode() == 200);

        assertThat(get(secondConfig, path, APP_KEY).statusCode()).isEqualTo(200);
        HttpResponse<String> web = get(secondConfig, path, WEB_KEY);
        // The instance holding O-NEVER-PLACED's key may still be settling in (503 to retry): compare with its settled answer.
        HttpResponse<String> never = await().atMost(TIMEOUT).until(() -> get(secondConfig, "/v1/orders/O-NEVER-PLACED", WEB_KEY),
                response -> response.statusCode() != 503);
        assertThat(web.statusCode()).isEqualTo(404);
        assertThat(web.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(web.body().replace(orderId, "<id>")).as("another channel's order looks like one never placed")
                .isEqualTo(never.body().replace("O-NEVER-PLACED", "<id>"));
        assertThat(get(firstConfig, path + "?scope=local", WEB_KEY).statusCode()).as("on the instance holding it, too").isEqualTo(404);

        HttpResponse<String> plain = get(secondConfig, path, PLAIN_KEY);
        assertThat(plain.statusCode()).isEqualTo(403);
        assertThat(plain.body()).contains("availability only");
        // Past the key check (while the ledger side starts up it may answer 503 first).
        await().atMost(TIMEOUT).until(() -> get(secondConfig, "/v1/availability/SKU-NEVER-COUNTED", PLAIN_KEY).body().contains("Unknown SKU"));
        assertThat(get(secondConfig, path, null).statusCode()).isEqualTo(401);
    }

    @Test
    void aStorefrontsFeedOfAnotherChannelsOrderTellsNothing() throws Exception {
        String orderId = heldByFirst("O-APP-FEED-");
        BufferedReader app = openFeed(orderId, APP_KEY);
        BufferedReader web = openFeed(orderId, WEB_KEY);

        producer.send(new ProducerRecord<>(firstConfig.topics().orders().name(), orderId, placed(orderId, Channel.MOBILE_APP, "SKU-R:1"))).get();

        assertThat(FeedEvents.next(app, "order-status", TIMEOUT).get("data")).contains(orderId);
        // The feed writes each change to every client that may see it before its next heartbeats: after
        // several of them on the web storefront's feed, the change would have come before them.
        assertThat(linesUntilHeartbeats(web, 5)).noneMatch(line -> line.startsWith("event:") || line.startsWith("data:"));
    }

    private static List<String> linesUntilHeartbeats(BufferedReader lines, int heartbeats) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            List<String> read = new ArrayList<>();
            int seen = 0;
            try {
                while (seen < heartbeats) {
                    String line = lines.readLine();
                    if (line == null) {
                        throw new IllegalStateException("feed closed");
                    }
                    read.add(line);
                    seen += line.equals(": heartbeat") ? 1 : 0;
                }
                return read;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
