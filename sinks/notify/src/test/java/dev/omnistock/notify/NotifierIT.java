package dev.omnistock.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.omnistock.config.Config;
import dev.omnistock.events.AlertType;
import dev.omnistock.events.Channel;
import dev.omnistock.events.InventoryAlert;
import dev.omnistock.events.NotificationAttempt;
import dev.omnistock.events.OrderLineStatus;
import dev.omnistock.events.OrderStatus;
import dev.omnistock.events.OrderStatusChanged;
import dev.omnistock.notify.send.Signatures;
import dev.omnistock.serde.AvroSerializer;
import dev.omnistock.testsupport.FreePorts;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import dev.omnistock.testsupport.TopicReader;
import dev.omnistock.topics.Topics;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The notifier on the real broker and registry, delivering to real HTTP endpoints in this JVM and to a
 * real SMTP server (GreenMail): signatures, the retry schedule with a 429, e-mail, Slack's shape, a slow
 * endpoint beside a fast one, disabling, redelivery, order status notices and the delivery log.
 */
@ExtendWith(RealStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotifierIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private Receiver receiver;
    private GreenMail smtp;
    private NotifierService.Running notifier;
    private KafkaProducer<String, SpecificRecord> producer;
    private Topics topics;
    private String api;
    private RealStack stack;

    @BeforeAll
    void start(RealStack stack, TestNamespace ns) throws Exception {
        this.stack = stack;
        receiver = new Receiver();
        int smtpPort = FreePorts.one();
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        int port = FreePorts.one();
        Map<String, String> env = Map.ofEntries(
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers()),
                Map.entry("SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl()),
                Map.entry("OMNISTOCK_TOPIC_PREFIX", ns.topicPrefix()),
                Map.entry("OMNISTOCK_TOPIC_PARTITIONS", "2"),
                Map.entry("NOTIFY_HTTP_PORT", Integer.toString(port)),
                Map.entry("NOTIFY_GROUP_ID", ns.topic("notifier")),
                Map.entry("NOTIFY_RETRY_SCHEDULE", "0s,1s,1s,1s,1s,1s,1s,1s,1s,1s"),
                Map.entry("NOTIFY_TIMEOUT_MS", "2000"),
                Map.entry("NOTIFY_DISABLE_AFTER_MS", "6000"),
                Map.entry("NOTIFY_SMTP_PORT", Integer.toString(smtpPort)),
                Map.entry("NOTIFY_SMTP_FROM", "alerts@omnistock.test"),
                // The receiver runs in this JVM, on loopback; "localhost" stays out, to show a name resolving there refused.
                Map.entry("NOTIFY_ALLOWED_TARGET_HOSTS", "127.0.0.1"));
        notifier = NotifierService.start(Config.of(env));
        api = "http://127.0.0.1:" + port;
        await().atMost(TIMEOUT).until(() -> call("GET", "/health/ready", null).statusCode() == 200);
        topics = Topics.from(Config.of(env));
        Map<String, Object> props = new HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", "schema.registry.url", stack.schemaRegistryUrl()));
        AvroSerializer<SpecificRecord> values = new AvroSerializer<>();
        values.configure(props, false);
        producer = new KafkaProducer<>(props, new StringSerializer(), values);
    }

    @AfterAll
    void stop() {
        producer.close();
        notifier.close();
        smtp.stop();
        receiver.close();
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(api + path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Creates a subscription through the API; returns its JSON (id, secret). */
    private JsonNode subscribe(String kind, String target, String filter) throws Exception {
        HttpResponse<String> created = call("POST", "/v1/subscriptions",
                "{\"kind\": \"" + kind + "\", \"target\": \"" + target + "\"" + (filter == null ? "" : ", \"filter\": " + filter) + "}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body());
    }

    private InventoryAlert alert(String sku, AlertType type) {
        return InventoryAlert.newBuilder().setAlertId(UUID.randomUUID()).setEventTime(Instant.now()).setSku(sku).setLocationId("DC-1")
                .setType(type).setAvailable(2).setThreshold(5).build();
    }

    private void send(InventoryAlert alert) throws Exception {
        producer.send(new ProducerRecord<>(topics.inventoryAlerts().name(), alert.getSku(), alert)).get();
    }

    @Test
    void signedWebhooksThroughAFailureAndA429AndEmailAndSlack() throws Exception {
        JsonNode good = subscribe("webhook", receiver.url("/good"), "{\"skuPrefixes\": [\"SKU-A\"]}");
        JsonNode flaky = subscribe("webhook", receiver.url("/flaky"), "{\"skus\": [\"SKU-A1\"]}");
        subscribe("email", "buyers@example.com", "{\"kinds\": [\"inventory.alert.low_stock\"], \"skuPrefixes\": [\"SKU-A\"]}");
        subscribe("slack", receiver.url("/slack"), "{\"kinds\": [\"inventory.alert.*\"], \"skus\": [\"SKU-A1\"]}");
        receiver.answer("/flaky", Receiver.Answer.status(500), new Receiver.Answer(429, "2", 0), Receiver.Answer.status(200));

        InventoryAlert alert = alert("SKU-A1", AlertType.LOW_STOCK);
        send(alert);
        String id = alert.getAlertId().toString();

        // The plain endpoint: one signed request, verified with the secret the API gave.
        await().atMost(TIMEOUT).until(() -> receiver.acknowledgedIds("/good").contains(id));
        Receiver.Request request = receiver.requests("/good").get(0);
        assertThat(request.header("webhook-id")).isEqualTo(id);
        assertThat(Signatures.verify(good.get("secret").asText(), id, request.header("webhook-timestamp"), request.body(),
                request.header("webhook-signature"), Instant.now(), Duration.ofMinutes(5))).isTrue();
        JsonNode body = JSON.readTree(request.body());
        assertThat(body.get("type").asText()).isEqualTo("inventory.alert.low_stock");
        assertThat(body.at("/data/sku").asText()).isEqualTo("SKU-A1");
        assertThat(body.at("/data/available").asInt()).isEqualTo(2);

        // The flaky one: 500, then 429 (Retry-After: 2 s, longer than the schedule's 1 s), then 200: the same id each time.
        await().atMost(TIMEOUT).until(() -> receiver.acknowledgedIds("/flaky").contains(id));
        List<Receiver.Request> tries = receiver.requests("/flaky");
        assertThat(tries).extracting(Receiver.Request::answeredWith).containsExactly(500, 429, 200);
        assertThat(tries).extracting(r -> r.header("webhook-id")).containsOnly(id);
        assertThat(Duration.between(tries.get(1).at(), tries.get(2).at())).as("the 429's Retry-After").isGreaterThanOrEqualTo(Duration.ofMillis(1_900));

        // Its delivery log, through the API.
        String deliveryId = id + "|" + flaky.get("id").asText();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            JsonNode delivery = JSON.readTree(call("GET", "/v1/deliveries/" + URLEncoder.encode(deliveryId, StandardCharsets.UTF_8), null).body());
            assertThat(delivery.get("status").asText()).isEqualTo("DELIVERED");
            assertThat(delivery.get("attempts").findValuesAsText("outcome")).containsExactly("RETRYING", "RETRYING", "DELIVERED");
        });

        // E-mail at the SMTP server, naming the notice.
        // Other tests' e-mail subscriptions (one for everything) may get mail too: this notice's is the one checked.
        await().atMost(TIMEOUT).until(() -> mailFor(id, "buyers@example.com") != null);
        MimeMessage mail = mailFor(id, "buyers@example.com");
        assertThat(mail.getSubject()).contains("LOW STOCK").contains("SKU-A1");
        assertThat(mail.getHeader("X-Omnistock-Notice-Id")[0]).isEqualTo(id);
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("buyers@example.com");

        // Slack's shape: text and blocks, unsigned.
        await().atMost(TIMEOUT).until(() -> !receiver.requests("/slack").isEmpty());
        JsonNode slack = JSON.readTree(receiver.requests("/slack").get(0).body());
        assertThat(slack.get("text").asText()).contains("SKU-A1");
        assertThat(slack.get("blocks").get(0).get("type").asText()).isEqualTo("section");
        assertThat(receiver.requests("/slack").get(0).header("webhook-signature")).isNull();

        // Every attempt is in the delivery log topic, for ClickHouse.
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(TopicReader.readAll(stack.kafkaBootstrapServers(),
                        topics.notificationAttempts().name(), Serdes.String().deserializer(), topics.notificationAttempts().valueSerde().deserializer())
                .stream().map(r -> r.value()).filter(a -> a.getDeliveryId().equals(deliveryId)).map(NotificationAttempt::getStatusCode).toList())
                .containsExactly(500, 429, 200));
    }

    @Test
    void aSlowEndpointHoldsUpNoOtherAndItsTimeoutsAreRetried() throws Exception {
        subscribe("webhook", receiver.url("/slow"), "{\"skus\": [\"SKU-S1\"]}");
        subscribe("webhook", receiver.url("/quick"), "{\"skus\": [\"SKU-S1\"]}");
        receiver.answer("/slow", new Receiver.Answer(200, null, 5_000), Receiver.Answer.status(200));
        InventoryAlert alert = alert("SKU-S1", AlertType.OUT_OF_STOCK);
        Instant sent = Instant.now();
        send(alert);
        await().atMost(TIMEOUT).until(() -> receiver.acknowledgedIds("/quick").contains(alert.getAlertId().toString()));
        assertThat(Duration.between(sent, receiver.requests("/quick").get(0).at())).as("the quick endpoint's wait").isLessThan(Duration.ofSeconds(2));
        // The slow one timed out (2 s here) and was tried again; the second try is answered at once.
        await().atMost(TIMEOUT).until(() -> receiver.requests("/slow").size() >= 2);
    }

    @Test
    void anEndpointThatKeepsFailingIsDisabledAndThatIsTold() throws Exception {
        JsonNode gone = subscribe("webhook", receiver.url("/gone"), "{\"skus\": [\"SKU-G1\"]}");
        subscribe("webhook", receiver.url("/ops"), "{\"kinds\": [\"notify.subscription.disabled\"]}");
        receiver.answer("/gone", Receiver.Answer.status(404));
        send(alert("SKU-G1", AlertType.LOW_STOCK));

        String id = gone.get("id").asText();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(JSON.readTree(call("GET", "/v1/subscriptions/" + id, null).body())
                .get("disabledAt").isNull()).isFalse());
        // Other tests' subscriptions may be disabled too, and told to /ops: this subscription's notice is the one checked.
        await().atMost(TIMEOUT).until(() -> toldOf("/ops", id) != null);
        Receiver.Request toldRequest = toldOf("/ops", id);
        JsonNode told = JSON.readTree(toldRequest.body());
        assertThat(told.get("type").asText()).isEqualTo("notify.subscription.disabled");
        assertThat(told.at("/data/subscriptionId").asText()).isEqualTo(id);
        // Whoever subscribed to the notice (maybe to no kind in particular) learns where to only in part.
        assertThat(told.at("/data/destination").asText()).isEqualTo("http://127.0.0.1/…");
        assertThat(new String(toldRequest.body(), StandardCharsets.UTF_8)).doesNotContain("/gone");

        // Disabled: a new alert for it is not sent; enabled again, the next one is.
        int before = receiver.requests("/gone").size();
        receiver.answer("/gone", Receiver.Answer.status(200));
        send(alert("SKU-G1", AlertType.OUT_OF_STOCK));
        subscribe("webhook", receiver.url("/marker"), "{\"skus\": [\"SKU-A9\", \"SKU-G2\"]}");
        InventoryAlert marker = alert("SKU-A9", AlertType.LOW_STOCK); // after the subscription: an earlier notice is not its business
        send(marker);
        await().atMost(TIMEOUT).until(() -> receiver.acknowledgedIds("/marker").contains(marker.getAlertId().toString()));
        assertThat(receiver.requests("/gone")).hasSize(before);
        assertThat(call("POST", "/v1/subscriptions/" + id + "/enable", null).statusCode()).isEqualTo(200);
        InventoryAlert after = alert("SKU-G1", AlertType.BACK_IN_STOCK);
        send(after);
        await().atMost(TIMEOUT).until(() -> receiver.acknowledgedIds("/gone").contains(after.getAlertId().toString()));
    }

    @Test
    void aDeliveryCanBeSentAgainByHand() throws Exception {
        JsonNode subscription = subscribe("webhook", receiver.url("/again"), "{\"skus\": [\"SKU-R1\"]}");
        InventoryAlert alert = alert("SKU-R1", AlertType.LOW_STOCK);
        send(alert);
        String id = alert.getAlertId().toString();
        String delivery = id + "|" + subscription.get("id").asText();
        // The receiver records a request before the notifier has its answer: wait for the notifier's own record.
        await().atMost(TIMEOUT).until(() -> "DELIVERED".equals(deliveryStatus(delivery)));
        assertThat(receiver.requests("/again")).as("requests before the redelivery").hasSize(1);
        assertThat(redeliver(delivery).statusCode()).isEqualTo(202);
        await().atMost(TIMEOUT).until(() -> receiver.acknowledgedIds("/again").size() >= 2);
        assertThat(receiver.requests("/again")).as("requests after the redelivery").hasSize(2);
        assertThat(receiver.acknowledgedIds("/again")).containsOnly(id);
    }

    @Test
    void aRedeliveryAskedForWhileAnAttemptIsUnderWayIsSentAfterIt() throws Exception {
        // The first answer comes after a second, within the notifier's timeout (2 s here): a success, not a retry.
        receiver.answer("/again-during", new Receiver.Answer(204, null, 1_000), Receiver.Answer.status(204));
        JsonNode subscription = subscribe("webhook", receiver.url("/again-during"), "{\"skus\": [\"SKU-R2\"]}");
        InventoryAlert alert = alert("SKU-R2", AlertType.LOW_STOCK);
        send(alert);
        String delivery = alert.getAlertId() + "|" + subscription.get("id").asText();
        await().atMost(TIMEOUT).until(() -> receiver.arrivals("/again-during") == 1);
        assertThat(redeliver(delivery).statusCode()).isEqualTo(202);
        // The attempt under way ends delivered; the redelivery asked for meanwhile still goes out after it.
        await().atMost(TIMEOUT).until(() -> receiver.acknowledgedIds("/again-during").size() >= 2);
        await().atMost(TIMEOUT).until(() -> "DELIVERED".equals(deliveryStatus(delivery)));
        assertThat(receiver.requests("/again-during")).hasSize(2);
        HttpResponse<String> found = call("GET", "/v1/deliveries/" + URLEncoder.encode(delivery, StandardCharsets.UTF_8), null);
        assertThat(JSON.readTree(found.body()).findValuesAsText("outcome")).containsExactly("DELIVERED", "DELIVERED");
    }

    private MimeMessage mailFor(String noticeId, String recipient) throws Exception {
        for (MimeMessage message : smtp.getReceivedMessages()) {
            String[] header = message.getHeader("X-Omnistock-Notice-Id");
            if (header != null && header[0].equals(noticeId) && message.getAllRecipients()[0].toString().equals(recipient)) {
                return message;
            }
        }
        return null;
    }

    /** The acknowledged notify.subscription.disabled request to a path about this subscription; null if none yet. */
    private Receiver.Request toldOf(String path, String subscriptionId) throws Exception {
        for (Receiver.Request request : receiver.requests(path)) {
            if (request.answeredWith() / 100 == 2 && subscriptionId.equals(JSON.readTree(request.body()).at("/data/subscriptionId").asText())) {
                return request;
            }
        }
        return null;
    }

    private HttpResponse<String> redeliver(String delivery) throws Exception {
        return call("POST", "/v1/deliveries/" + URLEncoder.encode(delivery, StandardCharsets.UTF_8) + "/redeliver", null);
    }

    private String deliveryStatus(String delivery) throws Exception {
        HttpResponse<String> found = call("GET", "/v1/deliveries/" + URLEncoder.encode(delivery, StandardCharsets.UTF_8), null);
        return found.statusCode() == 200 ? JSON.readTree(found.body()).get("status").asText() : "HTTP " + found.statusCode();
    }

    @Test
    void customersOfOneChannelAreToldOfTheirOrdersOnly() throws Exception {
        subscribe("webhook", receiver.url("/app-customers"), "{\"kinds\": [\"order.status.*\"], \"channels\": [\"MOBILE_APP\"]}");
        OrderStatusChanged app = change("O-APP-1", Channel.MOBILE_APP, OrderStatus.SHIPPED);
        OrderStatusChanged web = change("O-WEB-1", Channel.WEB, OrderStatus.SHIPPED);
        producer.send(new ProducerRecord<>(topics.orderStatus().name(), web.getOrderId(), web)).get();
        producer.send(new ProducerRecord<>(topics.orderStatus().name(), app.getOrderId(), app)).get();
        await().atMost(TIMEOUT).until(() -> receiver.acknowledgedIds("/app-customers").contains("O-APP-1/4"));
        JsonNode body = JSON.readTree(receiver.requests("/app-customers").get(0).body());
        assertThat(body.get("type").asText()).isEqualTo("order.status.shipped");
        assertThat(body.at("/data/orderId").asText()).isEqualTo("O-APP-1");
        assertThat(receiver.acknowledgedIds("/app-customers")).containsExactly("O-APP-1/4");
    }

    @Test
    void invalidSubscriptionsAreRefusedWithProblems() throws Exception {
        for (String body : List.of("{\"kind\": \"webhook\", \"target\": \"not a url\"}",
                "{\"kind\": \"carrier-pigeon\", \"target\": \"https://example.com\"}",
                "{\"kind\": \"webhook\", \"target\": \"https://example.com\", \"filter\": {\"kinds\": [\"inventory.alert.nope\"]}}",
                "{\"kind\": \"webhook\", \"target\": \"https://example.com\", \"filter\": {\"skus\": \"SKU-1\"}}",
                "not json")) {
            HttpResponse<String> refused = call("POST", "/v1/subscriptions", body);
            assertThat(refused.statusCode()).as(body).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(JSON.readTree(refused.body()).get("detail").asText()).isNotBlank()
                    .as("no parser's or other exception's text").doesNotContain("Exception").doesNotContain("Unrecognized token")
                    .doesNotContain("Illegal character");
        }
        assertThat(call("GET", "/v1/subscriptions/nope", null).statusCode()).isEqualTo(404);
        assertThat(call("GET", "/v1/deliveries?status=LOST", null).statusCode()).isEqualTo(400);
    }

    @Test
    void targetsInsideTheNotifiersNetworkAreRefusedWhenSubscribedAndWhenSent() throws Exception {
        int receiverPort = URI.create(receiver.url("/")).getPort();
        for (String target : List.of("http://hooks.example.com/x", "https://10.0.0.1/x", "https://169.254.169.254/latest/meta-data/",
                "https://[::ffff:127.0.0.1]:" + receiverPort + "/inside", "https://127.0.0.2:8123/")) {
            HttpResponse<String> refused = call("POST", "/v1/subscriptions", "{\"kind\": \"webhook\", \"target\": \"" + target + "\"}");
            assertThat(refused.statusCode()).as(target).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(JSON.readTree(refused.body()).get("detail").asText()).as(target).startsWith("'target' ");
        }
        // A name is looked up at each attempt: "localhost" is not allow-listed, and resolves to loopback.
        JsonNode inside = subscribe("webhook", "https://localhost:" + receiverPort + "/inside", "{\"skus\": [\"SKU-I1\"]}");
        InventoryAlert alert = alert("SKU-I1", AlertType.LOW_STOCK);
        send(alert);
        String delivery = alert.getAlertId() + "|" + inside.get("id").asText();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            HttpResponse<String> found = call("GET", "/v1/deliveries/" + URLEncoder.encode(delivery, StandardCharsets.UTF_8), null);
            assertThat(found.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(found.body()).findValuesAsText("error")).isNotEmpty()
                    .containsOnly("refused: does not resolve to public addresses only");
        });
        assertThat(receiver.arrivals("/inside")).as("requests that reached the receiver").isZero();
    }

    @Test
    void everyAnswerShowsTheTargetMasked() throws Exception {
        String target = receiver.url("/masked-hook?token=t0ps3cret");
        // A filter no notice passes: these subscriptions only show how they are shown.
        JsonNode created = subscribe("webhook", target, "{\"skus\": [\"SKU-MASKED\"]}");
        String id = created.get("id").asText();
        JsonNode email = subscribe("email", "jane.doe@example.com", "{\"skus\": [\"SKU-MASKED\"]}");
        List<String> answers = List.of(created.toString(), email.toString(),
                call("GET", "/v1/subscriptions", null).body(),
                call("GET", "/v1/subscriptions/" + id, null).body(),
                call("POST", "/v1/subscriptions/" + id + "/rotate-secret", null).body(),
                call("POST", "/v1/subscriptions/" + id + "/enable", null).body());
        for (String answer : answers) {
            assertThat(answer).doesNotContain("masked-hook").doesNotContain("t0ps3cret").doesNotContain("jane.doe");
        }
        assertThat(created.get("target").asText()).isEqualTo("http://127.0.0.1/…");
        assertThat(email.get("target").asText()).isEqualTo("***@example.com");
        assertThat(JSON.readTree(answers.get(3)).get("target").asText()).isEqualTo("http://127.0.0.1/…");
    }

    private static OrderStatusChanged change(String orderId, Channel channel, OrderStatus status) {
        return OrderStatusChanged.newBuilder().setChangeId(orderId + "/4").setOrderId(orderId).setSequence(4).setChangedAt(Instant.now())
                .setChannel(channel).setPreviousStatus(OrderStatus.PARTIALLY_SHIPPED).setStatus(status).setCausedBy("evt-1")
                .setChangedLines(List.of(OrderLineStatus.newBuilder().setLineId("1").setSku("SKU-O1").setOrdered(2).setReserved(2).setRefused(0)
                        .setShipped(2).setCancelled(0).setReturned(0).setExpired(0).setReservedAt(List.of()).build()))
                .build();
    }
}
