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
import dev.omnistock.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The notifier, in a JVM of its own started from its jar, killed with SIGKILL while a delivery waits
 * for its retry: the restarted notifier delivers that one, and sends none that was acknowledged again.
 */
@ExtendWith(RealStackExtension.class)
class NotifierRestartIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aKillMidRetryLosesNoPendingRetryAndRepeatsNoAcknowledgedNotice(RealStack stack, TestNamespace ns) throws Exception {
        int port = FreePorts.one();
        Map<String, String> env = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers(),
                "SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl(),
                "OMNISTOCK_TOPIC_PREFIX", ns.topicPrefix(),
                "OMNISTOCK_TOPIC_PARTITIONS", "2",
                "NOTIFY_HTTP_PORT", Integer.toString(port),
                "NOTIFY_GROUP_ID", ns.topic("notifier"),
                "NOTIFY_ALLOWED_TARGET_HOSTS", "127.0.0.1", // the receiver runs in this JVM
                // Long enough between attempts that the kill lands while the retry waits.
                "NOTIFY_RETRY_SCHEDULE", "0s,8s,1s,1s,1s,1s");
        String api = "http://127.0.0.1:" + port;
        ChildJvm notifier = new ChildJvm("notifier", Path.of("target/notifier.jar"), env, Path.of("target/notifier-restart/" + ns.topicPrefix()),
                "-Xmx256m");
        Topics topics = Topics.from(Config.of(env));
        Map<String, Object> props = new HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", "schema.registry.url", stack.schemaRegistryUrl()));
        AvroSerializer<SpecificRecord> values = new AvroSerializer<>();
        values.configure(props, false);
        try (Receiver receiver = new Receiver(); KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(props, new StringSerializer(), values)) {
            notifier.start();
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> ChildJvm.answers200(api + "/health/ready"));
            ChildJvm.post(api + "/v1/subscriptions", "{\"kind\": \"webhook\", \"target\": \"" + receiver.url("/hook") + "\"}");

            // Acknowledged before the kill.
            InventoryAlert first = alert("SKU-K1");
            producer.send(new ProducerRecord<>(topics.inventoryAlerts().name(), first.getSku(), first)).get();
            await().atMost(TIMEOUT).until(() -> receiver.acknowledgedIds("/hook").contains(first.getAlertId().toString()));

            // Refused once, then killed while its retry waits.
            receiver.answer("/hook", Receiver.Answer.status(503));
            InventoryAlert second = alert("SKU-K2");
            producer.send(new ProducerRecord<>(topics.inventoryAlerts().name(), second.getSku(), second)).get();
            await().atMost(TIMEOUT).until(() -> receiver.requests("/hook").stream()
                    .anyMatch(r -> r.answeredWith() == 503 && r.header("webhook-id").equals(second.getAlertId().toString())));
            notifier.killHard();
            receiver.answer("/hook", Receiver.Answer.status(200));

            // An alert sent while it is down waits in Kafka for the restart.
            InventoryAlert third = alert("SKU-K3");
            producer.send(new ProducerRecord<>(topics.inventoryAlerts().name(), third.getSku(), third)).get();
            notifier.start();
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> ChildJvm.answers200(api + "/health/ready"));
            await().atMost(TIMEOUT).until(() -> receiver.acknowledgedIds("/hook").containsAll(
                    java.util.List.of(second.getAlertId().toString(), third.getAlertId().toString())));
            // One more after those: by the time it is acknowledged, the restarted notifier has gone over every
            // delivery it read back more than once.
            InventoryAlert last = alert("SKU-K4");
            producer.send(new ProducerRecord<>(topics.inventoryAlerts().name(), last.getSku(), last)).get();
            await().atMost(TIMEOUT).until(() -> receiver.acknowledgedIds("/hook").contains(last.getAlertId().toString()));

            assertThat(receiver.acknowledgedIds("/hook")).as("each notice acknowledged exactly once")
                    .containsExactlyInAnyOrder(first.getAlertId().toString(), second.getAlertId().toString(), third.getAlertId().toString(),
                            last.getAlertId().toString());
            JsonNode delivered = JSON.readTree(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(api + "/v1/deliveries?status=DELIVERED")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body());
            assertThat(delivered.size()).isEqualTo(4);
        } finally {
            notifier.stop();
        }
    }

    private static InventoryAlert alert(String sku) {
        return InventoryAlert.newBuilder().setAlertId(UUID.randomUUID()).setEventTime(Instant.now()).setSku(sku).setType(AlertType.OUT_OF_STOCK)
                .setAvailable(0).setThreshold(3).build();
    }
}
