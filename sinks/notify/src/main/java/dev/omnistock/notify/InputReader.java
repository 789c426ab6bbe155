package dev.omnistock.notify;

import dev.omnistock.events.InventoryAlert;
import dev.omnistock.events.OrderStatusChanged;
import dev.omnistock.notify.delivery.Delivery;
import dev.omnistock.notify.delivery.DeliveryStore;
import dev.omnistock.notify.notices.Notice;
import dev.omnistock.notify.notices.Notices;
import dev.omnistock.notify.persist.StateWriteFailed;
import dev.omnistock.notify.persist.StateWrites;
import dev.omnistock.serde.SchemaRegistryUnavailableException;
import dev.omnistock.topics.DeadLetterHeaders;
import dev.omnistock.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads inventory alerts and order status changes and turns them into deliveries. A batch's input is
 * committed only once everything it led to is written (its new deliveries, its dead letters): a write
 * that fails means no commit, and the batch is read again after a pause, so no notice is lost; read
 * again, a notice already turned into deliveries is not turned into them again.
 *
 * <p>A new group, or one whose offsets the broker dropped (a notifier down longer than the group's
 * offset retention), starts at the earliest record still kept, never at the end.
 *
 * <p>Each notifier node is a static member of the group and reads the partitions assigned to it. A
 * partition newly assigned is paused until the node has read the state written before it got it (the
 * take-over, {@link Ownership}); and before a batch is turned into deliveries the state topics are read
 * to their end, so that a subscription made through any node's API meanwhile gets the batch's notices.
 */
final class InputReader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InputReader.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(200);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);
    /**
     * How long the reader counts as reading after its last poll returned. Fencing (another notifier took the
     * input over) surfaces only in a poll, so a reader stuck elsewhere (a state write waited for up to its
     * timeout) must stop counting as reading well within the take-over wait (see {@link Notifier#takeOverWait}).
     */
    static final Duration POLL_BOUND = Duration.ofSeconds(2);
    /** The poll's own wait: well under {@link #POLL_BOUND}. */
    private static final Duration POLL = Duration.ofMillis(200);
    /** How long a batch waits for the state topics to be read to their end: well under {@link #POLL_BOUND}. */
    private static final Duration STATE_READ_BOUND = Duration.ofSeconds(1);

    private final Topics topics;
    private final Map<String, Object> kafka;
    private final String groupId;
    private final String instanceId;
    private final Duration sessionTimeout;
    private final Ownership ownership;
    private final StateFollower state;
    private final Intake intake;
    private final DeliveryStore deliveries;
    private final StateWrites writes;
    private final Consumer<Collection<TopicPartition>> onAssigned;
    private final KafkaProducer<byte[], byte[]> deadLetters;
    private final Thread thread;
    private volatile boolean running = true;
    /** True while the input's partitions are assigned: from then on no alert goes unseen. */
    private volatile boolean reading;
    private volatile KafkaConsumer<String, byte[]> input;
    /** Another notifier of the group took the input over (it ended this reader on purpose). */
    private volatile boolean fenced;
    /** When a poll last returned (System.nanoTime). */
    private volatile long polled = System.nanoTime();

    /**
     * @param instanceId the node's name in the group: another node with the same name takes its partitions over and fences it
     * @param onAssigned told of partitions newly assigned (they stay paused until {@code ownership} delivers them)
     */
    InputReader(Topics topics, Map<String, Object> kafka, String groupId, String instanceId, Duration sessionTimeout, Intake intake,
                DeliveryStore deliveries, StateWrites writes, Ownership ownership, StateFollower state,
                Consumer<Collection<TopicPartition>> onAssigned) {
        this.topics = topics;
        this.kafka = kafka;
        this.groupId = groupId;
        this.instanceId = instanceId;
        this.sessionTimeout = sessionTimeout;
        this.ownership = ownership;
        this.state = state;
        this.intake = intake;
        this.deliveries = deliveries;
        this.writes = writes;
        this.onAssigned = onAssigned;
        Map<String, Object> producerProps = new HashMap<>(kafka);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerProps.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        this.deadLetters = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
        this.thread = new Thread(this::run, "notify-reader");
    }

    InputReader start() {
        thread.start();
        return this;
    }

    boolean alive() {
        return thread.isAlive();
    }

    /** Ended because another notifier of the group took the input over. */
    boolean fenced() {
        return fenced;
    }

    /**
     * Its partitions are assigned and it reads them: false once another notifier of its group fenced it,
     * and while no poll returned within {@link #POLL_BOUND} (it could be fenced without knowing).
     */
    boolean reading() {
        return reading && thread.isAlive() && System.nanoTime() - polled < POLL_BOUND.toNanos();
    }

    private void run() {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        // Static membership: a restart after a crash takes its partitions back at once instead of waiting out
        // the dead member's session; a second notifier with the same group and instance fences this one (it stops
        // delivering). Nodes of other instance ids share the partitions; a dead one's go to the others after the session.
        props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, groupId + "-" + instanceId);
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Without a committed offset (a new group, or offsets the broker dropped after a long outage) read what is
        // still kept rather than skip it: notices already turned into deliveries are not turned into them again.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Deserializer<InventoryAlert> alerts = topics.inventoryAlerts().valueSerde().deserializer();
        Deserializer<OrderStatusChanged> changes = topics.orderStatus().valueSerde().deserializer();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            input = consumer;
            consumer.subscribe(List.of(topics.inventoryAlerts().name(), topics.orderStatus().name()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    reading = false;
                    ownership.revoked(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    // Not read until the state another node wrote for them is (the take-over).
                    consumer.pause(partitions);
                    partitions.stream().map(TopicPartition::topic).distinct().forEach(topic -> {
                        int now = consumer.partitionsFor(topic).size();
                        if (!ownership.partitionCount(topic, now)) {
                            log.error("Input topic {} has {} partitions now, not the count this notifier started with: its "
                                    + "notices would belong to other partitions than their deliveries, so none of its partitions "
                                    + "is delivered and this node stays not ready. Stop every notifier node, then start them again "
                                    + "(adding input partitions needs all notifiers stopped)", topic, now);
                        }
                    });
                    partitions.forEach(consumer::position);
                    polled = System.nanoTime();
                    reading = true;
                    if (!partitions.isEmpty()) {
                        onAssigned.accept(partitions);
                    }
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    reading = false;
                    ownership.revoked(partitions);
                }
            });
            Duration pause = FIRST_PAUSE;
            while (running) {
                readOnlyWhatIsDelivered(consumer);
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                polled = System.nanoTime();
                try {
                    handle(records, alerts, changes);
                    if (!records.isEmpty()) {
                        consumer.commitSync();
                    }
                    pause = FIRST_PAUSE;
                } catch (StateWriteFailed | RetriableException e) {
                    // Down is not bad input: read the same records again once it is back. Nothing was committed.
                    log.warn("Notifier input waits: {}; reading the batch again in {} ms", e.getMessage(), pause.toMillis());
                    records.partitions().forEach(p -> consumer.seek(p, records.records(p).get(0).offset()));
                    waitPolling(consumer, pause);
                    pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
                } catch (CommitFailedException | RebalanceInProgressException e) {
                    // Its partitions went to another member: whoever holds them reads the batch again (deliveries known are not made again).
                    log.warn("Notifier input commit refused after a rebalance: {}", e.getMessage());
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (FencedInstanceIdException e) {
            fenced = true;
            log.warn("Another notifier of group {} took the input over: this one stops reading and delivering, and stays up "
                    + "not ready (its API answers from what it had). Stop it; restarting it would take the input back.", groupId);
        } catch (RuntimeException | Error e) {
            if (running) {
                log.error("The notifier's input reader stopped: no new notice is read and no delivery attempted; /health/live says DOWN. "
                        + "Restart the notifier (nothing is lost: uncommitted input is read again)", e);
            }
        } finally {
            reading = false;
            ownership.revokedAll();
        }
    }

    /** Reads the partitions whose take-over is over; pauses those still waiting for it. */
    private void readOnlyWhatIsDelivered(KafkaConsumer<String, byte[]> consumer) {
        List<TopicPartition> waiting = new ArrayList<>();
        List<TopicPartition> ready = new ArrayList<>();
        for (TopicPartition p : consumer.assignment()) {
            (ownership.delivers(p) ? ready : waiting).add(p);
        }
        consumer.pause(waiting);
        consumer.resume(ready);
    }

    /**
     * Waits {@code pause} while still polling, its partitions paused: a poll is where fencing and revocation
     * surface and what keeps the member in its group, so a reader backing off still stops counting as
     * reading once another notifier took the input over. Records of partitions assigned meanwhile (not
     * paused) are sought back and read after the pause.
     */
    private void waitPolling(KafkaConsumer<String, byte[]> consumer, Duration pause) {
        long until = System.nanoTime() + pause.toNanos();
        consumer.pause(consumer.assignment());
        try {
            while (running && System.nanoTime() < until) {
                ConsumerRecords<String, byte[]> got = consumer.poll(POLL);
                polled = System.nanoTime();
                got.partitions().forEach(p -> consumer.seek(p, got.records(p).get(0).offset()));
                consumer.pause(consumer.assignment());
            }
        } finally {
            readOnlyWhatIsDelivered(consumer);
        }
    }

    /** Turns a batch into deliveries, waits until everything is written, then keeps the deliveries. */
    private void handle(ConsumerRecords<String, byte[]> records, Deserializer<InventoryAlert> alerts, Deserializer<OrderStatusChanged> changes) {
        if (records.isEmpty()) {
            return;
        }
        try {
            // Every subscription any node's API acknowledged before this batch gets its notices; every delivery another
            // node made of them is known.
            state.awaitCaughtUp(STATE_READ_BOUND);
        } catch (IllegalStateException e) {
            throw new StateWriteFailed("The notifier's state topics are not read to their end", e);
        }
        List<Delivery> created = new ArrayList<>();
        List<CompletableFuture<Long>> offsets = new ArrayList<>();
        List<CompletableFuture<?>> writes = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            notice(record, alerts, changes, writes).ifPresent(notice -> {
                for (Delivery delivery : intake.deliveriesFor(notice)) {
                    if (ids.add(delivery.id())) {
                        created.add(delivery);
                        CompletableFuture<Long> written = deliveries.writeNew(delivery);
                        offsets.add(written);
                        writes.add(written);
                    }
                }
            });
        }
        // Everything of the batch is written before any of it is kept or its input committed: a failed write is read again.
        this.writes.await(writes, "Could not write the deliveries and dead letters of " + records.count() + " input records");
        for (int i = 0; i < created.size(); i++) {
            deliveries.added(created.get(i), offsets.get(i).join());
        }
    }

    /** The record's notice; an unreadable one goes to the dead-letter topic with the reason (its write joins {@code writes}). */
    private Optional<Notice> notice(ConsumerRecord<String, byte[]> record, Deserializer<InventoryAlert> alerts,
                                    Deserializer<OrderStatusChanged> changes, List<CompletableFuture<?>> writes) {
        if (record.value() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(record.topic().equals(topics.inventoryAlerts().name())
                    ? Notices.of(alerts.deserialize(record.topic(), record.headers(), record.value()))
                    : Notices.of(changes.deserialize(record.topic(), record.headers(), record.value())));
        } catch (SchemaRegistryUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(DeadLetterHeaders.EXCEPTION, e.getClass().getName().getBytes(StandardCharsets.UTF_8));
            headers.add(DeadLetterHeaders.MESSAGE, String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8));
            headers.add(DeadLetterHeaders.TOPIC, record.topic().getBytes(StandardCharsets.UTF_8));
            headers.add(DeadLetterHeaders.PARTITION, Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
            headers.add(DeadLetterHeaders.OFFSET, Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
            CompletableFuture<Void> written = new CompletableFuture<>();
            try {
                deadLetters.send(new ProducerRecord<>(topics.deadLetters().name(), null,
                        record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8), record.value(), headers), (metadata, error) -> {
                    if (error == null) {
                        written.complete(null);
                    } else {
                        written.completeExceptionally(error);
                    }
                });
            } catch (RuntimeException sendFailed) {
                written.completeExceptionally(sendFailed);
            }
            writes.add(written);
            log.warn("The notifier dead-letters an unreadable record of {} partition {} offset {}: {}",
                    record.topic(), record.partition(), record.offset(), e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<String, byte[]> consumer = input;
        if (consumer != null) {
            consumer.wakeup();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deadLetters.close();
    }
}
