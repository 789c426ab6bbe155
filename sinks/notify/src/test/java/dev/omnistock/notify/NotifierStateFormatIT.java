package dev.omnistock.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.omnistock.config.Config;
import dev.omnistock.config.KafkaConnection;
import dev.omnistock.config.SchemaRegistryConnection;
import dev.omnistock.events.NotifyDelivery;
import dev.omnistock.notify.delivery.Delivery;
import dev.omnistock.notify.delivery.RetrySchedule;
import dev.omnistock.notify.notices.Notice;
import dev.omnistock.notify.send.HttpSender;
import dev.omnistock.notify.send.Sender;
import dev.omnistock.notify.send.Signatures;
import dev.omnistock.notify.send.TargetGuard;
import dev.omnistock.notify.persist.AvroStateFormat;
import dev.omnistock.notify.persist.AvroStateFormatAccess;
import dev.omnistock.notify.persist.StateFormat;
import dev.omnistock.notify.subscriptions.Subscription;
import dev.omnistock.serde.SchemaRegistry;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import dev.omnistock.testsupport.TopicReader;
import dev.omnistock.topics.TopicProvisioner;
import dev.omnistock.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The notifier's state in Avro with the registry: versioned, and the JSON written before still read. */
@ExtendWith(RealStackExtension.class)
class NotifierStateFormatIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MICROS);

    private RealStack stack;
    private TestNamespace ns;
    private Topics topics;
    private Map<String, Object> kafka;
    private Map<String, Object> registry;

    @BeforeEach
    void provision(RealStack stack, TestNamespace ns) throws Exception {
        this.stack = stack;
        this.ns = ns;
        Config config = Config.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers(), "SCHEMA_REGISTRY_URL",
                stack.schemaRegistryUrl(), "OMNISTOCK_TOPIC_PREFIX", ns.topicPrefix(), "OMNISTOCK_TOPIC_PARTITIONS", "2"));
        topics = Topics.from(config);
        kafka = new HashMap<>(KafkaConnection.from(config).clientProperties());
        registry = SchemaRegistryConnection.from(config).serdeConfig();
        kafka.putAll(registry);
        try (Admin admin = Admin.create(KafkaConnection.from(config).clientProperties())) {
            new TopicProvisioner(admin, SchemaRegistry.connect(registry)).provision(List.of(topics.inventoryAlerts(), topics.orderStatus(),
                    topics.notifySubscriptions(), topics.notifyDeliveries(), topics.notificationAttempts(), topics.deadLetters()));
        }
    }

    private static Subscription subscription(String target) {
        return new Subscription(UUID.randomUUID().toString(), new Subscription.Destination(Subscription.Kind.WEBHOOK, target),
                new Subscription.Filter(List.of("order.status.*"), List.of("SKU-1"), List.of("SKU-A"), List.of("DC-1"), List.of("WEB")),
                List.of(Signatures.newSecret()), null, T0, null, null, null);
    }

    private static Delivery delivery(String subscriptionId) {
        Notice notice = new Notice("O-1/2", "order.status.shipped", T0, List.of("SKU-1"), List.of("DC-1"), "WEB", "Order O-1 is shipped",
                Map.of("orderId", "O-1", "sequence", 2, "changedLines", List.of(Map.of("sku", "SKU-1", "shipped", 2))));
        RetrySchedule schedule = RetrySchedule.parse("0s,5s");
        return Delivery.of(notice, subscriptionId, T0, schedule)
                .after(Delivery.Result.failed(503, 12, "HTTP 503", Optional.empty()), T0.plusMillis(5), schedule)
                .redeliver(T0.plusSeconds(1));
    }

    @Test
    void subscriptionsAndDeliveriesRoundTripThroughTheRegistrysFormat() {
        StateFormat avro = new AvroStateFormat(topics);
        Subscription rotated = subscription("https://receiver.example/hook").withNewSecret(Signatures.newSecret(), T0, Duration.ofHours(1))
                .failing(T0.plusSeconds(3)).disabled(T0.plusSeconds(9), "failed too long");
        byte[] written = avro.write(rotated);
        assertThat(written[0]).as("the registry's wire format").isZero();
        assertThat(avro.readSubscription(written)).isEqualTo(rotated);
        Delivery delivery = delivery("sub-1");
        assertThat(avro.readDelivery(avro.write(delivery))).isEqualTo(delivery);
        assertThat(avro.readDelivery(avro.write(delivery)).notice().sequence()).isEqualTo(2);
    }

    @Test
    void aRecordOfAnEarlierSchemaVersionIsRead() throws Exception {
        // notify-deliveries' schema as it was before roundStart was added: registered, a record written with it.
        ObjectMapper json = new ObjectMapper();
        ObjectNode schemaJson = (ObjectNode) json.readTree(NotifyDelivery.getClassSchema().toString());
        ArrayNode fields = (ArrayNode) schemaJson.get("fields");
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).get("name").asText().equals("roundStart")) {
                fields.remove(i);
            }
        }
        Schema earlier = new Schema.Parser().parse(schemaJson.toString());
        int id = SchemaRegistry.connect(registry).register(topics.notifyDeliveries().name() + "-value", earlier);
        Delivery delivery = delivery("sub-2");
        NotifyDelivery record = (NotifyDelivery) AvroStateFormatAccess.toAvro(delivery);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<NotifyDelivery>(earlier, record.getSpecificData()).write(record, encoder);
        encoder.flush();

        Delivery read = new AvroStateFormat(topics).readDelivery(out.toByteArray());
        assertThat(read.roundStart()).as("the added field's default").isZero();
        assertThat(read.attempts()).isEqualTo(delivery.attempts());
        assertThat(read.notice()).isEqualTo(delivery.notice());
    }

    @Test
    void stateWrittenAsJsonBeforeIsReadAndWhatIsWrittenNowIsAvro(RealStack stack) throws Exception {
        try (Receiver receiver = new Receiver()) {
            Subscription subscription = subscription(receiver.url("/json-era"));
            Delivery pending = delivery(subscription.id());
            Map<String, Object> props = new HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all"));
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(topics.notifySubscriptions().name(), subscription.id(), StateFormat.JSON.write(subscription))).get();
                producer.send(new ProducerRecord<>(topics.notifyDeliveries().name(), pending.id(), StateFormat.JSON.write(pending))).get();
            }
            HttpSender http = new HttpSender(Duration.ofSeconds(2), TargetGuard.allowing(List.of("127.0.0.1")));
            Map<Subscription.Kind, Sender> senders = Map.of(Subscription.Kind.WEBHOOK, http);
            try (Notifier notifier = new Notifier(topics, kafka, new Notifier.Settings(RetrySchedule.parse("0s,1s"), Duration.ofDays(1),
                    Duration.ofHours(1), 2, ns.topic("notifier-json"), Notifier.DELIVERY_RETENTION, Duration.ZERO), senders, Clock.systemUTC(),
                    UnaryOperator.identity()).start()) {
                assertThat(notifier.subscription(subscription.id())).hasValue(subscription);
                await().atMost(TIMEOUT).until(() -> receiver.acknowledgedIds("/json-era").contains("O-1/2"));
                await().atMost(TIMEOUT).until(() -> notifier.delivery(pending.id()).orElseThrow().status() == Delivery.Status.DELIVERED);
            }
            byte[] latest = TopicReader.readAll(stack.kafkaBootstrapServers(), topics.notifyDeliveries().name(), new StringDeserializer(),
                    new ByteArrayDeserializer()).stream().filter(r -> r.key().equals(pending.id())).reduce((a, b) -> b).orElseThrow().value();
            assertThat(latest[0]).as("written now in the registry's wire format").isZero();
            assertThat(new AvroStateFormat(topics).readDelivery(latest).status()).isEqualTo(Delivery.Status.DELIVERED);
        }
    }
}
