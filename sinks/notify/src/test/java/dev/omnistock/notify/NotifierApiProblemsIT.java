package dev.omnistock.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnistock.config.ApiKeys;
import dev.omnistock.config.Config;
import dev.omnistock.config.RequestGuard;
import dev.omnistock.notify.api.NotifierApi;
import dev.omnistock.notify.delivery.RetrySchedule;
import dev.omnistock.notify.send.HttpSender;
import dev.omnistock.notify.send.Sender;
import dev.omnistock.notify.send.TargetGuard;
import dev.omnistock.notify.subscriptions.Subscription;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import dev.omnistock.topics.Topics;
import dev.omnistock.events.AlertType;
import dev.omnistock.events.InventoryAlert;
import dev.omnistock.serde.AvroSerializer;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The notifier's API when its state cannot be written: a problem with an error id, never Kafka's text nor a broker's address. */
@ExtendWith(RealStackExtension.class)
class NotifierApiProblemsIT {

    /** What a producer says when the broker is away: a host:port the API must not hand out. */
    private static final String KAFKA_TEXT = "Expiring 1 record(s) for notify-subscriptions-0:120000 ms; broker 10.20.30.40:9092 unreachable";

    @Test
    void aFailedStateWriteIsA503WithAnErrorIdAndNothingOfKafkasText(RealStack stack, TestNamespace ns) throws Exception {
        Config config = Config.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers(), "SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl(),
                "OMNISTOCK_TOPIC_PREFIX", ns.topicPrefix(), "OMNISTOCK_TOPIC_PARTITIONS", "1"));
        Topics topics = Topics.from(config);
        Map<String, Object> kafka = NotifierService.provision(config, topics);
        AtomicBoolean kafkaAway = new AtomicBoolean();
        TargetGuard targets = TargetGuard.allowing(List.of());
        HttpSender http = new HttpSender(Duration.ofSeconds(2), targets);
        Map<Subscription.Kind, Sender> senders = Map.of(Subscription.Kind.WEBHOOK, http, Subscription.Kind.SLACK, http);
        try (Notifier notifier = new Notifier(topics, kafka, new Notifier.Settings(RetrySchedule.parse("0s,1s"), Duration.ofDays(1),
                Duration.ofHours(1), 2, ns.topic("notifier")), senders, Clock.systemUTC(),
                writer -> (topic, key, value) -> kafkaAway.get()
                        ? CompletableFuture.failedFuture(new org.apache.kafka.common.errors.TimeoutException(KAFKA_TEXT))
                        : writer.send(topic, key, value)).start();
             NotifierApi api = new NotifierApi(notifier, "127.0.0.1", 0, ApiKeys.parse(""),
                     RequestGuard.forService(NotifierService.ALLOWED_HOSTS, List.of("127.0.0.1"), List.of()), Duration.ofHours(1), targets,
                     Clock.systemUTC()).start()) {
            await().atMost(Duration.ofSeconds(60)).until(notifier::ready);
            String base = "http://127.0.0.1:" + api.port();
            HttpResponse<String> created = post(base + "/v1/subscriptions",
                    "{\"kind\": \"webhook\", \"target\": \"https://hooks.example.com/x\", \"filter\": {\"skus\": [\"SKU-P1\"]}}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            InventoryAlert alert = InventoryAlert.newBuilder().setAlertId(UUID.randomUUID()).setEventTime(Instant.now()).setSku("SKU-P1")
                    .setLocationId("DC-1").setType(AlertType.LOW_STOCK).setAvailable(1).setThreshold(5).build();
            Map<String, Object> props = new HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                    "schema.registry.url", stack.schemaRegistryUrl()));
            AvroSerializer<SpecificRecord> values = new AvroSerializer<>();
            values.configure(props, false);
            try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(props, new StringSerializer(), values)) {
                producer.send(new ProducerRecord<>(topics.inventoryAlerts().name(), alert.getSku(), alert)).get();
            }
            String delivery = alert.getAlertId() + "|" + new ObjectMapper().readTree(created.body()).get("id").asText();
            // Its attempts (refused: the target does not resolve here) over, so none holds the delivery when Kafka goes away.
            await().atMost(Duration.ofSeconds(60)).until(() -> notifier.delivery(delivery).filter(d -> d.finished()).isPresent());

            kafkaAway.set(true);
            for (HttpResponse<String> refused : List.of(
                    post(base + "/v1/subscriptions", "{\"kind\": \"webhook\", \"target\": \"https://hooks.example.com/y\"}"),
                    post(base + "/v1/deliveries/" + URLEncoder.encode(delivery, StandardCharsets.UTF_8) + "/redeliver", null))) {
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
                assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                JsonNode problem = new ObjectMapper().readTree(refused.body());
                assertThat(problem.get("detail").asText()).containsPattern("error is logged under id [0-9a-f-]{36}")
                        .doesNotContain("10.20.30.40").doesNotContain("Expiring").doesNotContain("Exception").doesNotContain(ns.topicPrefix());
            }
        }
    }

    private static HttpResponse<String> post(String url, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return HttpClient.newHttpClient().send(request.POST(json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
