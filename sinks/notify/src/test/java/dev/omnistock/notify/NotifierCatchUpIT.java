package dev.omnistock.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.omnistock.config.Config;
import dev.omnistock.events.AlertType;
import dev.omnistock.events.InventoryAlert;
import dev.omnistock.notify.delivery.Delivery;
import dev.omnistock.notify.delivery.RetrySchedule;
import dev.omnistock.notify.send.Sender;
import dev.omnistock.notify.send.Signatures;
import dev.omnistock.notify.subscriptions.Subscription;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import dev.omnistock.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The per-batch catch-up: two notifier nodes of one group in this JVM; a subscription is made through
 * node A, and node B reads an alert of one of its partitions while its state follower has not applied
 * that subscription yet (held back by the test). B reads the state topics to their end before it turns
 * a batch into deliveries, so it waits and delivers the alert; without that catch-up it would turn the
 * alert into nothing and commit it, and the notice would be lost.
 */
@ExtendWith(RealStackExtension.class)
class NotifierCatchUpIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    /** Of each input topic: one for each node. */
    private static final int PARTITIONS = 2;
    private static final Map<String, Seen> SEEN = new ConcurrentHashMap<>();

    /** What node B's Kafka clients see of the subscription and the alert; holds B's follower at the subscription's record. */
    static final class Seen {
        static final String KEY = "omnistock.test.seen";

        final String subscriptions;
        final String subscriptionId;
        final String alerts;
        final CountDownLatch released = new CountDownLatch(1);
        /** The alert's key (SKU) and partition, once chosen. */
        volatile String sku = "";
        volatile int partition = -1;
        /** How many polls of B's input returned the alert: a second one means B read its batch again. */
        final AtomicInteger alertPolls = new AtomicInteger();
        /** B's latest commit of the alert's partition (the next offset to read). */
        final AtomicLong committed = new AtomicLong(-1);

        Seen(String subscriptions, String subscriptionId, String alerts) {
            this.subscriptions = subscriptions;
            this.subscriptionId = subscriptionId;
            this.alerts = alerts;
        }
    }

    /**
     * Kafka's client hook (interceptor.classes), on node B's clients only. Its follower's poll that returns the
     * subscription's record returns it only once the test releases it, so nothing of that poll is applied before;
     * its input's polls and commits of the alert are counted. The producers get the same properties, hence the
     * producer side, which changes nothing.
     */
    public static final class SeenByNodeB implements ConsumerInterceptor<String, byte[]>, ProducerInterceptor<Object, Object> {
        private Seen seen;

        @Override
        public void configure(Map<String, ?> configs) {
            seen = SEEN.get((String) configs.get(Seen.KEY));
        }

        @Override
        public ConsumerRecords<String, byte[]> onConsume(ConsumerRecords<String, byte[]> records) {
            for (ConsumerRecord<String, byte[]> record : records) {
                if (record.topic().equals(seen.alerts) && Objects.equals(record.key(), seen.sku)) {
                    seen.alertPolls.incrementAndGet();
                }
                if (record.topic().equals(seen.subscriptions) && Objects.equals(record.key(), seen.subscriptionId)) {
                    try {
                        seen.released.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            return records;
        }

        @Override
        public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
            OffsetAndMetadata alertPartition = offsets.get(new TopicPartition(seen.alerts, seen.partition));
            if (alertPartition != null) {
                seen.committed.set(alertPartition.offset());
            }
        }

        @Override
        public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
            return record;
        }

        @Override
        public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void anAlertReadBeforeTheNodeFollowedASubscriptionMadeThroughAnotherNodeIsDeliveredToIt(RealStack stack, TestNamespace ns)
            throws Exception {
        Config config = Config.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers(), "SCHEMA_REGISTRY_URL",
                stack.schemaRegistryUrl(), "OMNISTOCK_TOPIC_PREFIX", ns.topicPrefix(), "OMNISTOCK_TOPIC_PARTITIONS", Integer.toString(PARTITIONS)));
        Topics topics = Topics.from(config);
        Map<String, Object> kafka = NotifierService.provision(config, topics);
        String group = ns.topic("notifier");
        String subscriptionId = UUID.randomUUID().toString();
        Seen seen = new Seen(topics.notifySubscriptions().name(), subscriptionId, topics.inventoryAlerts().name());
        SEEN.put(ns.topicPrefix(), seen);
        Map<String, Object> kafkaB = new HashMap<>(kafka);
        kafkaB.put(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, SeenByNodeB.class.getName());
        kafkaB.put(Seen.KEY, ns.topicPrefix());
        List<String> sentByA = new CopyOnWriteArrayList<>();
        List<String> sentByB = new CopyOnWriteArrayList<>();
        try (Notifier nodeB = node(topics, kafkaB, group, "node-b", sentByB); Notifier nodeA = node(topics, kafka, group, "node-a", sentByA);
             Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()));
             KafkaProducer<String, InventoryAlert> producer = new KafkaProducer<>(kafka, new StringSerializer(),
                     topics.inventoryAlerts().valueSerde().serializer());
             AutoCloseable letGo = seen.released::countDown) { // closed first: B's follower is not held while B stops
            // Both in the group, each holding its partitions and delivering them.
            await().atMost(TIMEOUT).until(() -> twoMembersAssigned(admin, group) && nodeA.ready() && nodeB.ready());
            seen.partition = alertPartitionOf(admin, group, group + "-node-b", seen.alerts);
            String sku = "SKU-CATCH-UP-0";
            for (int i = 1; Ownership.partition(sku, PARTITIONS) != seen.partition; i++) {
                sku = "SKU-CATCH-UP-" + i;
            }
            seen.sku = sku;

            // Made through A (acknowledged: on the topic), then an alert of B's partition.
            nodeA.save(new Subscription(subscriptionId, new Subscription.Destination(Subscription.Kind.WEBHOOK, "https://hooks.example.com/x"),
                    Subscription.Filter.ALL, List.of(Signatures.newSecret()), null, Instant.now(), null, null, null));
            InventoryAlert alert = InventoryAlert.newBuilder().setAlertId(UUID.randomUUID()).setEventTime(Instant.now()).setSku(sku)
                    .setLocationId("DC-1").setType(AlertType.LOW_STOCK).setAvailable(1).setThreshold(5).build();
            RecordMetadata written = producer.send(new ProducerRecord<>(seen.alerts, sku, alert)).get();
            assertThat(written.partition()).isEqualTo(seen.partition);

            // B's follower applies the subscription only once B has either committed the alert (turned it into whatever it
            // made of it) or read it a second time (it refused the batch while its state was behind).
            await().atMost(TIMEOUT).until(() -> seen.committed.get() > written.offset() || seen.alertPolls.get() >= 2);
            seen.released.countDown();
            await().atMost(TIMEOUT).until(() -> seen.committed.get() > written.offset());

            String deliveryId = alert.getAlertId() + "|" + subscriptionId;
            assertThat(nodeB.delivery(deliveryId)).as("B's delivery of the alert to the subscription made through A, made before B committed "
                    + "the alert (B read the alert %d time(s))", seen.alertPolls.get()).isPresent();
            await().atMost(TIMEOUT).until(() -> sentByB.contains(alert.getAlertId().toString()));
            assertThat(nodeB.delivery(deliveryId).orElseThrow().status()).isEqualTo(Delivery.Status.DELIVERED);
            assertThat(sentByA).as("the alert's partition is B's").isEmpty();
        } finally {
            SEEN.remove(ns.topicPrefix());
        }
    }

    /** A node that acknowledges every notice it sends, noting its id. */
    private static Notifier node(Topics topics, Map<String, Object> kafka, String group, String instance, List<String> sent) {
        Sender acknowledged = (subscription, notice, now) -> {
            sent.add(notice.id());
            return Delivery.Result.delivered(200, 1);
        };
        Duration attemptTimeout = Duration.ofSeconds(1);
        return new Notifier(topics, kafka, new Notifier.Settings(RetrySchedule.parse("0s,1s"), Duration.ofDays(1), Duration.ofHours(1), 2,
                group, Notifier.DELIVERY_RETENTION, Notifier.takeOverWait(attemptTimeout), instance, Notifier.SESSION_TIMEOUT),
                Map.of(Subscription.Kind.WEBHOOK, acknowledged), Clock.systemUTC()).start();
    }

    private static boolean twoMembersAssigned(Admin admin, String group) throws Exception {
        ConsumerGroupDescription described = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
        return described.groupState() == GroupState.STABLE && described.members().size() == 2
                && described.members().stream().noneMatch(m -> m.assignment().topicPartitions().isEmpty());
    }

    /** The partition of {@code topic} assigned to the member of that instance id. */
    private static int alertPartitionOf(Admin admin, String group, String instanceId, String topic) throws Exception {
        MemberDescription member = admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().stream()
                .filter(m -> m.groupInstanceId().orElse("").equals(instanceId)).findFirst().orElseThrow();
        return member.assignment().topicPartitions().stream().filter(p -> p.topic().equals(topic)).mapToInt(TopicPartition::partition)
                .findFirst().orElseThrow();
    }
}
