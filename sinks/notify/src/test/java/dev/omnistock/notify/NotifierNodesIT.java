package dev.omnistock.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnistock.config.Config;
import dev.omnistock.events.AlertType;
import dev.omnistock.events.InventoryAlert;
import dev.omnistock.serde.AvroSerializer;
import dev.omnistock.testsupport.ChildJvm;
import dev.omnistock.testsupport.FreePorts;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import dev.omnistock.testsupport.TopicReader;
import dev.omnistock.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two notifier nodes of one group, each in a JVM of its own started from the jar, with a webhook
 * receiver in this JVM: a subscription made through one node's API reaches the other, and the other delivers
 * the alerts sent right after it was made; both deliver
 * while both run; one is killed with SIGKILL under load and the other takes its partitions over.
 * Every alert on the input topic is acknowledged at least once, and none twice but within the crash
 * window (its first acknowledgement from the killed node at most 10 s before the kill).
 */
@ExtendWith(RealStackExtension.class)
class NotifierNodesIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final Duration CRASH_WINDOW = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void twoNodesShareTheDeliveriesAndTheSurvivorOfAKillDeliversTheRestNoneTwiceOutsideTheCrashWindow(RealStack stack, TestNamespace ns)
            throws Exception {
        int portA = FreePorts.one();
        int portB = FreePorts.one();
        Map<String, String> common = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers(),
                "SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl(),
                "OMNISTOCK_TOPIC_PREFIX", ns.topicPrefix(),
                "OMNISTOCK_TOPIC_PARTITIONS", "4",
                "NOTIFY_GROUP_ID", ns.topic("notifier"),
                "NOTIFY_ALLOWED_TARGET_HOSTS", "127.0.0.1", // the receiver runs in this JVM
                "NOTIFY_RETRY_SCHEDULE", "0s,1s,1s,1s,1s,1s,1s,1s,1s,1s",
                // A take-over wait of 5 s + 6 s, and a dead node's partitions free after 6 s (the broker's least).
                "NOTIFY_TIMEOUT_MS", "5000",
                "NOTIFY_SESSION_TIMEOUT_MS", "6000"));
        ChildJvm nodeA = node(common, "node-a", portA, ns);
        ChildJvm nodeB = node(common, "node-b", portB, ns);
        String apiA = "http://127.0.0.1:" + portA;
        String apiB = "http://127.0.0.1:" + portB;
        Topics topics = Topics.from(Config.of(common));
        Map<String, Object> props = new HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", "schema.registry.url", stack.schemaRegistryUrl()));
        AvroSerializer<SpecificRecord> values = new AvroSerializer<>();
        values.configure(props, false);
        HttpClient http = HttpClient.newHttpClient();
        try (Receiver receiver = new Receiver(); KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(props, new StringSerializer(), values)) {
            nodeA.start();
            nodeB.start();
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
                    .until(() -> ChildJvm.answers200(apiA + "/health/ready") && ChildJvm.answers200(apiB + "/health/ready"));

            // Made through A, known to B.
            JsonNode subscription = JSON.readTree(ChildJvm.post(apiA + "/v1/subscriptions",
                    "{\"kind\": \"webhook\", \"target\": \"" + receiver.url("/hook") + "\"}"));
            String id = subscription.get("id").asText();
            // Alerts right after the POST, before B need have followed it: B reads the state topics to their end before
            // it turns a batch of input into deliveries, so those of its partitions go too (checked with all the others below).
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                sent.add(send(producer, topics));
            }
            await().atMost(TIMEOUT).until(() -> get(http, apiB + "/v1/subscriptions/" + id).statusCode() == 200);

            // Both deliver while both run: each node names itself in the User-Agent.
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
                for (int i = 0; i < 20; i++) {
                    sent.add(send(producer, topics));
                }
                return receiver.requests("/hook").stream().map(r -> r.header("user-agent")).collect(Collectors.toSet())
                        .containsAll(Set.of("omnistock-notifier (node-a)", "omnistock-notifier (node-b)"));
            });

            // Under load, B is killed; A takes its partitions over after B's session and the take-over wait.
            AtomicBoolean loading = new AtomicBoolean(true);
            List<String> sentUnderLoad = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread load = new Thread(() -> {
                while (loading.get()) {
                    try {
                        sentUnderLoad.add(send(producer, topics));
                        Thread.sleep(25);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }, "load");
            load.start();
            await().atMost(TIMEOUT).until(() -> sentUnderLoad.size() >= 100);
            nodeB.killHard();
            Instant killed = Instant.now();
            Thread.sleep(3_000); // notices keep coming while B's partitions have no reader
            loading.set(false);
            load.join();
            sent.addAll(sentUnderLoad);

            // Every alert on the input topic (read_committed) is acknowledged.
            List<String> onTopic = TopicReader.readAll(stack.kafkaBootstrapServers(), topics.inventoryAlerts().name(), new StringDeserializer(),
                    topics.inventoryAlerts().valueSerde().deserializer()).stream().map(r -> r.value().getAlertId().toString()).toList();
            assertThat(onTopic).containsExactlyInAnyOrderElementsOf(sent);
            await().atMost(TIMEOUT).until(() -> receiver.acknowledgedIds("/hook").containsAll(onTopic));
            assertThat(receiver.requests("/hook").stream().filter(r -> r.at().isAfter(killed.plusSeconds(1))).map(r -> r.header("user-agent")))
                    .as("after the kill only A delivers").containsOnly("omnistock-notifier (node-a)");

            // None twice, but within the crash window: first acknowledged by B just before the kill, again after it. A receiver
            // that answers after the timeout (a loaded machine) is tried again, as it should be: the delivery's record shows
            // such an attempt, without an HTTP status, for each repeat.
            Map<String, List<Receiver.Request>> acknowledged = receiver.requests("/hook").stream().filter(r -> r.answeredWith() / 100 == 2)
                    .collect(Collectors.groupingBy(r -> r.header("webhook-id")));
            List<String> repeatedOutsideTheWindow = acknowledged.entrySet().stream().filter(e -> e.getValue().size() > 1)
                    .filter(e -> {
                        Receiver.Request first = e.getValue().get(0);
                        boolean inWindow = e.getValue().size() == 2 && first.header("user-agent").equals("omnistock-notifier (node-b)")
                                && !first.at().isBefore(killed.minus(CRASH_WINDOW)) && e.getValue().get(1).at().isAfter(killed);
                        return !inWindow && timedOutAttempts(http, apiA, e.getKey() + "|" + id) < e.getValue().size() - 1;
                    }).map(Map.Entry::getKey).toList();
            assertThat(repeatedOutsideTheWindow).as(() -> "killed at " + killed + "; " + repeatedOutsideTheWindow.stream()
                    .map(repeated -> repeated + ": " + acknowledged.get(repeated).stream().map(r -> r.header("user-agent") + " at " + r.at()).toList())
                    .collect(Collectors.joining("; "))).isEmpty();
            assertThat(acknowledged.keySet()).containsExactlyInAnyOrderElementsOf(onTopic);
            assertThat(ChildJvm.answers200(apiA + "/health/ready")).isTrue();
        } finally {
            nodeA.stop();
            nodeB.stop();
        }
    }

    private static ChildJvm node(Map<String, String> common, String instance, int port, TestNamespace ns) {
        Map<String, String> env = new HashMap<>(common);
        env.put("NOTIFY_INSTANCE_ID", instance);
        env.put("NOTIFY_HTTP_PORT", Integer.toString(port));
        return new ChildJvm(instance, Path.of("target/notifier.jar"), env, Path.of("target/notifier-nodes/" + ns.topicPrefix() + instance),
                "-Xmx256m");
    }

    /** Sends an alert for a SKU of many (so every partition gets some); returns its id. */
    private static String send(KafkaProducer<String, SpecificRecord> producer, Topics topics) throws Exception {
        InventoryAlert alert = InventoryAlert.newBuilder().setAlertId(UUID.randomUUID()).setEventTime(Instant.now())
                .setSku("SKU-" + ThreadLocalRandom.current().nextInt(1000)).setType(AlertType.LOW_STOCK).setAvailable(1).setThreshold(5)
                .build();
        producer.send(new ProducerRecord<>(topics.inventoryAlerts().name(), alert.getSku(), alert)).get();
        return alert.getAlertId().toString();
    }

    /** Attempts of a delivery that got no HTTP status (timed out), as the notifier recorded them. */
    private static long timedOutAttempts(HttpClient http, String api, String deliveryId) {
        try {
            JsonNode delivery = JSON.readTree(get(http, api + "/v1/deliveries/" + java.net.URLEncoder.encode(deliveryId,
                    java.nio.charset.StandardCharsets.UTF_8)).body());
            long timedOut = 0;
            for (JsonNode attempt : delivery.get("attempts")) {
                if (attempt.path("outcome").asText().equals("RETRYING") && !attempt.hasNonNull("statusCode")) {
                    timedOut++;
                }
            }
            return timedOut;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
