package dev.omnistock.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.omnistock.config.Config;
import dev.omnistock.config.KafkaConnection;
import dev.omnistock.config.SchemaRegistryConnection;
import dev.omnistock.events.AlertType;
import dev.omnistock.events.InventoryAlert;
import dev.omnistock.notify.delivery.RetrySchedule;
import dev.omnistock.notify.send.HttpSender;
import dev.omnistock.notify.send.Sender;
import dev.omnistock.notify.send.Signatures;
import dev.omnistock.notify.send.TargetGuard;
import dev.omnistock.notify.persist.StateWriter;
import dev.omnistock.notify.subscriptions.Subscription;
import dev.omnistock.serde.AvroSerializer;
import dev.omnistock.serde.SchemaRegistry;
import dev.omnistock.testsupport.FreePorts;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import dev.omnistock.topics.TopicProvisioner;
import dev.omnistock.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The notifier on the real broker when its writes fail, when its group has no offsets, and when one
 * of its threads dies.
 */
@ExtendWith(RealStackExtension.class)
class NotifierDurabilityIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private RealStack stack;
    private TestNamespace ns;
    private Receiver receiver;
    private KafkaProducer<String, SpecificRecord> producer;
    private Topics topics;
    private Map<String, Object> kafka;

    @BeforeEach
    void start(RealStack stack, TestNamespace ns) throws Exception {
        this.stack = stack;
        this.ns = ns;
        receiver = new Receiver();
        Config config = Config.of(env(ns.topic("unused"), 0));
        topics = Topics.from(config);
        kafka = new HashMap<>(KafkaConnection.from(config).clientProperties());
        Map<String, Object> registry = SchemaRegistryConnection.from(config).serdeConfig();
        kafka.putAll(registry);
        try (Admin admin = Admin.create(KafkaConnection.from(config).clientProperties())) {
            new TopicProvisioner(admin, SchemaRegistry.connect(registry)).provision(List.of(topics.inventoryAlerts(), topics.orderStatus(),
                    topics.notifySubscriptions(), topics.notifyDeliveries(), topics.notificationAttempts(), topics.deadLetters()));
        }
        Map<String, Object> props = new HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", "schema.registry.url", stack.schemaRegistryUrl()));
        AvroSerializer<SpecificRecord> values = new AvroSerializer<>();
        values.configure(props, false);
        producer = new KafkaProducer<>(props, new StringSerializer(), values);
    }

    @AfterEach
    void stop() {
        producer.close();
        receiver.close();
    }

    private Map<String, String> env(String group, int port) {
        return Map.of("KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers(),
                "SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl(),
                "OMNISTOCK_TOPIC_PREFIX", ns.topicPrefix(),
                "OMNISTOCK_TOPIC_PARTITIONS", "2",
                "NOTIFY_HTTP_PORT", Integer.toString(port),
                "NOTIFY_GROUP_ID", group,
                "NOTIFY_RETRY_SCHEDULE", "0s,1s,1s,1s",
                "NOTIFY_ALLOWED_TARGET_HOSTS", "127.0.0.1");
    }

    private Notifier notifier(String group, UnaryOperator<StateWriter> stateWriter) {
        return notifier(group, stateWriter, Duration.ofSeconds(2));
    }

    private Notifier notifier(String group, UnaryOperator<StateWriter> stateWriter, Duration timeout) {
        HttpSender http = new HttpSender(timeout, TargetGuard.allowing(List.of("127.0.0.1")));
        Map<Subscription.Kind, Sender> senders = Map.of(Subscription.Kind.WEBHOOK, http, Subscription.Kind.SLACK, http);
        // It waits after its input is assigned as NotifierService has it.
        Notifier notifier = new Notifier(topics, kafka, new Notifier.Settings(RetrySchedule.parse("0s,1s,1s,1s"), Duration.ofDays(1),
                Duration.ofHours(1), 4, group, Notifier.DELIVERY_RETENTION, Notifier.takeOverWait(timeout)), senders, Clock.systemUTC(),
                stateWriter).start();
        await().atMost(TIMEOUT).until(notifier::ready);
        return notifier;
    }

    private Subscription subscribe(Notifier notifier, String path, String sku) {
        return notifier.save(new Subscription(UUID.randomUUID().toString(),
                new Subscription.Destination(Subscription.Kind.WEBHOOK, receiver.url(path)),
                new Subscription.Filter(List.of(), List.of(sku), List.of(), List.of(), List.of()), List.of(Signatures.newSecret()), null,
                Instant.now(), null, null, null));
    }

    private RecordMetadata send(InventoryAlert alert) throws Exception {
        return producer.send(new ProducerRecord<>(topics.inventoryAlerts().name(), alert.getSku(), alert)).get();
    }

    private static InventoryAlert alert(String sku) {
        return InventoryAlert.newBuilder().setAlertId(UUID.randomUUID()).setEventTime(Instant.now()).setSku(sku).setLocationId("DC-1")
                .setType(AlertType.LOW_STOCK).setAvailable(1).setThreshold(5).build();
    }

    private long committed(String group, RecordMetadata sent) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()))) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                    .get(new TopicPartition(sent.topic(), sent.partition()));
            return offset == null ? -1 : offset.offset();
        }
    }

    @Test
    void whileNewDeliveriesCannotBeWrittenTheInputIsNotCommittedAndNoNoticeIsLost() throws Exception {
        String group = ns.topic("notifier-writes");
        AtomicBoolean failing = new AtomicBoolean();
        AtomicInteger refused = new AtomicInteger();
        String deliveriesTopic = topics.notifyDeliveries().name();
        try (Notifier notifier = notifier(group, kafkaWriter -> (topic, key, value) -> {
            if (failing.get() && topic.equals(deliveriesTopic)) {
                refused.incrementAndGet();
                return CompletableFuture.failedFuture(new org.apache.kafka.common.errors.NotEnoughReplicasException("injected"));
            }
            return kafkaWriter.send(topic, key, value);
        })) {
            subscribe(notifier, "/writes", "SKU-W1");
            failing.set(true);
            InventoryAlert alert = alert("SKU-W1");
            RecordMetadata sent = send(alert);

            // The reader reached the alert, its write was refused, and it read the batch again: its offset is not committed,
            // and nothing goes out.
            await().atMost(TIMEOUT).until(() -> refused.get() >= 2);
            assertThat(committed(group, sent)).as("committed offset of the alert's partition").isLessThanOrEqualTo(sent.offset());
            assertThat(receiver.requests("/writes")).isEmpty();
            assertThat(notifier.live()).isTrue();

            failing.set(false);
            await().atMost(TIMEOUT).until(() -> receiver.acknowledgedIds("/writes").contains(alert.getAlertId().toString()));
            await().atMost(TIMEOUT).until(() -> committed(group, sent) > sent.offset());
            assertThat(receiver.acknowledgedIds("/writes")).containsExactly(alert.getAlertId().toString());
        }
    }

    @Test
    void aReaderStuckInAStateWriteStopsCountingAsReadingWithinThePollBound() throws Exception {
        String group = ns.topic("notifier-stuck");
        AtomicBoolean holding = new AtomicBoolean();
        List<CompletableFuture<Long>> held = new CopyOnWriteArrayList<>();
        String deliveriesTopic = topics.notifyDeliveries().name();
        try (Notifier notifier = notifier(group, kafkaWriter -> (topic, key, value) -> {
            if (holding.get() && topic.equals(deliveriesTopic)) {
                CompletableFuture<Long> write = new CompletableFuture<>(); // the broker does not answer: waited for up to 30 s
                held.add(write);
                return write;
            }
            return kafkaWriter.send(topic, key, value);
        })) {
            subscribe(notifier, "/stuck", "SKU-S1");
            holding.set(true);
            InventoryAlert alert = alert("SKU-S1");
            send(alert);
            await().atMost(TIMEOUT).until(() -> !held.isEmpty());

            // It cannot learn it was fenced while it does not poll: it stops delivering within the bound, well before a
            // notifier taking over would deliver, not once the write's 30 s are over.
            await().atMost(InputReader.POLL_BOUND.plusSeconds(1)).until(() -> !notifier.ready());
            assertThat(notifier.live()).isTrue();

            holding.set(false);
            held.forEach(write -> write.completeExceptionally(new org.apache.kafka.common.errors.TimeoutException("injected")));
            await().atMost(TIMEOUT).until(notifier::ready);
            await().atMost(TIMEOUT).until(() -> receiver.acknowledgedIds("/stuck").contains(alert.getAlertId().toString()));
            assertThat(receiver.acknowledgedIds("/stuck")).containsExactly(alert.getAlertId().toString());
        }
    }

    @Test
    void aGroupWithoutOffsetsReadsFromTheEarliestAndSendsNothingTwice() throws Exception {
        InventoryAlert first;
        InventoryAlert whileDown;
        try (Notifier notifier = notifier(ns.topic("notifier-before"), UnaryOperator.identity())) {
            subscribe(notifier, "/earliest", "SKU-E1");
            // Made after the subscription: a notice that occurred before it is not its business.
            first = alert("SKU-E1");
            whileDown = alert("SKU-E1");
            send(first);
            await().atMost(TIMEOUT).until(() -> receiver.acknowledgedIds("/earliest").contains(first.getAlertId().toString()));
        }
        send(whileDown);
        // The broker dropped the group's offsets (down longer than their retention): a group without any.
        try (Notifier notifier = notifier(ns.topic("notifier-after"), UnaryOperator.identity())) {
            await().atMost(TIMEOUT).until(() -> receiver.acknowledgedIds("/earliest").contains(whileDown.getAlertId().toString()));
            InventoryAlert last = alert("SKU-E1");
            send(last);
            await().atMost(TIMEOUT).until(() -> receiver.acknowledgedIds("/earliest").contains(last.getAlertId().toString()));
            assertThat(receiver.acknowledgedIds("/earliest")).as("each once: the first was read again and not sent again")
                    .containsExactly(first.getAlertId().toString(), whileDown.getAlertId().toString(), last.getAlertId().toString());
        }
    }

    @Test
    void liveIsDownOnceTheInputReaderDied() throws Exception {
        int port = FreePorts.one();
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (NotifierService.Running running = NotifierService.start(Config.of(env(ns.topic("notifier-live"), port)))) {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest live = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/live")).build();
            await().atMost(TIMEOUT).until(() -> http.send(live, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
            Thread reader = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("notify-reader") && !before.contains(t)).findFirst().orElseThrow();
            reader.interrupt(); // its poll throws: the reader ends, as after any error it does not survive
            reader.join(10_000);
            assertThat(reader.isAlive()).isFalse();
            await().atMost(TIMEOUT).until(() -> http.send(live, HttpResponse.BodyHandlers.ofString()).statusCode() == 503);
        }
    }

    @Test
    void aNotifierTakingOverTheInputSendsNothingTheOneBeforeItAcknowledged() throws Exception {
        String group = ns.topic("notifier-takeover");
        // The first attempt refused; the second acknowledged after 4 s (the timeout is 5 s): it is under way while the
        // second notifier starts and takes the input over.
        receiver.answer("/takeover", Receiver.Answer.status(503), new Receiver.Answer(200, null, 4_000));
        Duration timeout = Duration.ofSeconds(5);
        try (Notifier first = notifier(group, UnaryOperator.identity(), timeout)) {
            subscribe(first, "/takeover", "SKU-T1");
            InventoryAlert pending = alert("SKU-T1");
            send(pending);
            await().atMost(TIMEOUT).until(() -> receiver.arrivals("/takeover") == 2);

            // A rolling deploy: a second notifier of the same group reads the state (the delivery pending) and takes the input.
            try (Notifier second = notifier(group, UnaryOperator.identity(), timeout)) {
                // The first, fenced at its next heartbeat, stops reading and delivering; it stays live (a restart would take
                // the input back), not ready.
                await().atMost(TIMEOUT).until(() -> !first.ready());
                assertThat(first.live()).isTrue();
                receiver.answer("/takeover", Receiver.Answer.status(200));
                InventoryAlert after = alert("SKU-T1");
                send(after);
                await().atMost(TIMEOUT).until(() -> receiver.acknowledgedIds("/takeover").contains(after.getAlertId().toString()));
                assertThat(receiver.acknowledgedIds("/takeover")).as("the one acknowledged by the first is not sent by the second")
                        .containsExactly(pending.getAlertId().toString(), after.getAlertId().toString());
                assertThat(receiver.requests("/takeover")).extracting(Receiver.Request::answeredWith).containsExactly(503, 200, 200);
                assertThat(second.delivery(pending.getAlertId() + "|" + second.subscriptions().iterator().next().id()).orElseThrow().status())
                        .isEqualTo(dev.omnistock.notify.delivery.Delivery.Status.DELIVERED);
            }
        }
    }
}
