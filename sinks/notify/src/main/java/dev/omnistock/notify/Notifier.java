package dev.omnistock.notify;

import dev.omnistock.events.NotificationAttempt;
import dev.omnistock.notify.delivery.Delivery;
import dev.omnistock.notify.delivery.DeliveryStore;
import dev.omnistock.notify.delivery.DueQueue;
import dev.omnistock.notify.delivery.RetrySchedule;
import dev.omnistock.notify.send.Sender;
import dev.omnistock.notify.persist.AvroStateFormat;
import dev.omnistock.notify.persist.KafkaStateWriter;
import dev.omnistock.notify.persist.StateFormat;
import dev.omnistock.notify.persist.StateWriter;
import dev.omnistock.notify.persist.StateWrites;
import dev.omnistock.notify.subscriptions.Subscription;
import dev.omnistock.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads inventory alerts and order status changes, matches them to subscriptions and delivers each
 * to each destination, retrying on the schedule. It is put together from parts with one job each:
 * {@link InputReader} (input to deliveries, committed once they are written), {@link SubscriptionStore}
 * and {@link DeliveryStore} (state, changed atomically and written before it is kept), {@link DueQueue}
 * (what is due next, in order per order and subscription), {@link Dispatcher} and {@link Attempts}
 * (the attempts, on workers) and {@link DisablePolicy} (failing and disabled subscriptions).
 *
 * <p>Several notifier nodes may run with one group id, each with its own instance id: each delivers
 * the deliveries of the input partitions assigned to it ({@link Ownership}), takes a partition over
 * only after the take-over wait, and follows the state topics ({@link StateFollower}) so that every
 * node knows every subscription and delivery.
 */
public final class Notifier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Notifier.class);
    /** How long one state write is waited for. */
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

    /** The default of NOTIFY_DELIVERY_RETENTION_MS. */
    public static final Duration DELIVERY_RETENTION = Duration.ofDays(7);
    /** The input consumer's heartbeat interval (Kafka's default): a notifier fenced learns it at its next heartbeat. */
    static final Duration HEARTBEAT = Duration.ofSeconds(3);
    /** How long a notifier that took over its input waits before delivering, by default: for NOTIFY_TIMEOUT_MS's default. */
    public static final Duration TAKE_OVER_WAIT = takeOverWait(Duration.ofSeconds(10));
    /** The default of NOTIFY_INSTANCE_ID: one node alone keeps the group member name it always had. */
    public static final String INSTANCE_ID = "notifier";
    /** The default of NOTIFY_SESSION_TIMEOUT_MS (Kafka's): how long a dead node's partitions wait before others get them. */
    public static final Duration SESSION_TIMEOUT = Duration.ofSeconds(45);
    /** How long the start waits for the state topics to be read. */
    private static final Duration START_READ = Duration.ofMinutes(2);

    /**
     * How long a notifier that took its input over waits before it delivers, for attempts bounded by
     * {@code attemptTimeout}. The notifier it fenced may start an attempt until it stops counting as reading:
     * the broker tells it at its next heartbeat, and its next poll sees it, or, stuck between polls, it stops
     * counting {@link InputReader#POLL_BOUND} after its last one; so at the latest a heartbeat and that bound
     * after the take-over. That attempt ends within the timeout and its record is written in a moment more
     * (1 s): the wait exceeds all of them together.
     */
    public static Duration takeOverWait(Duration attemptTimeout) {
        return attemptTimeout.plus(HEARTBEAT).plus(InputReader.POLL_BOUND).plusSeconds(1);
    }

    /**
     * How the notifier behaves; see the README's settings.
     *
     * @param deliveryRetention how long a finished delivery is kept (in memory, on notify-deliveries, in the delivery log)
     * @param takeOverWait      once an input partition is assigned, how long the notifier waits before it reads the state
     *                          written meanwhile and delivers that partition's deliveries: longer than a node that held it
     *                          needs to stop starting attempts and end those under way ({@link #takeOverWait})
     * @param instanceId        this node's name in the group (static membership): nodes of one group with different names
     *                          share the input; a node started with the name of one still running takes its place
     * @param sessionTimeout    how long the group waits for a node that stopped answering before its partitions go to others
     */
    public record Settings(RetrySchedule schedule, Duration disableAfter, Duration secretOverlap, int workers, String groupId,
                           Duration deliveryRetention, Duration takeOverWait, String instanceId, Duration sessionTimeout) {

        public Settings(RetrySchedule schedule, Duration disableAfter, Duration secretOverlap, int workers, String groupId) {
            this(schedule, disableAfter, secretOverlap, workers, groupId, DELIVERY_RETENTION, TAKE_OVER_WAIT);
        }

        public Settings(RetrySchedule schedule, Duration disableAfter, Duration secretOverlap, int workers, String groupId,
                        Duration deliveryRetention) {
            this(schedule, disableAfter, secretOverlap, workers, groupId, deliveryRetention, TAKE_OVER_WAIT);
        }

        public Settings(RetrySchedule schedule, Duration disableAfter, Duration secretOverlap, int workers, String groupId,
                        Duration deliveryRetention, Duration takeOverWait) {
            this(schedule, disableAfter, secretOverlap, workers, groupId, deliveryRetention, takeOverWait, INSTANCE_ID, SESSION_TIMEOUT);
        }
    }

    private final Topics topics;
    private final Map<String, Object> kafka;
    private final Clock clock;
    private final KafkaStateWriter stateWriter;
    private final KafkaProducer<String, NotificationAttempt> attemptProducer;
    private final StateWrites writes;
    private final StateFormat format;
    private final SubscriptionStore subscriptions;
    private final DeliveryStore deliveries;
    private final DueQueue due;
    private final InputReader reader;
    private final Dispatcher dispatcher;
    private final Ownership ownership;
    private final StateFollower state;
    private final Duration retention;
    private final Duration takeOverWait;
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "notify-retention");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean started;

    public Notifier(Topics topics, Map<String, Object> kafkaAndRegistry, Settings settings, Map<Subscription.Kind, Sender> senders, Clock clock) {
        this(topics, kafkaAndRegistry, settings, senders, clock, UnaryOperator.identity());
    }

    /** @param stateWriter wraps the state topics' writer (tests make it fail) */
    Notifier(Topics topics, Map<String, Object> kafkaAndRegistry, Settings settings, Map<Subscription.Kind, Sender> senders, Clock clock,
             UnaryOperator<StateWriter> stateWriter) {
        this.topics = topics;
        this.kafka = kafkaAndRegistry;
        this.clock = clock;
        this.retention = settings.deliveryRetention();
        this.takeOverWait = settings.takeOverWait();
        this.stateWriter = new KafkaStateWriter(kafkaAndRegistry, WRITE_TIMEOUT);
        Map<String, Object> producerProps = new HashMap<>(kafkaAndRegistry);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.attemptProducer = new KafkaProducer<>(producerProps, new StringSerializer(), topics.notificationAttempts().valueSerde().serializer());
        this.writes = new StateWrites(stateWriter.apply(this.stateWriter), WRITE_TIMEOUT, Duration.ofMillis(200), Duration.ofSeconds(30));
        this.format = new AvroStateFormat(topics);
        this.subscriptions = new SubscriptionStore(writes, topics.notifySubscriptions().name(), format);
        this.deliveries = new DeliveryStore(writes, topics.notifyDeliveries().name(), WRITE_TIMEOUT, format);
        this.due = new DueQueue(clock, deliveries::get);
        this.ownership = new Ownership(topics.inventoryAlerts().name(), partitions(topics.inventoryAlerts().name()),
                topics.orderStatus().name(), partitions(topics.orderStatus().name()));
        this.state = new StateFollower(kafkaAndRegistry, List.of(topics.notifySubscriptions().name(), topics.notifyDeliveries().name()),
                this::followed);
        Intake intake = new Intake(subscriptions, deliveries, settings.schedule(), clock, retention);
        DisablePolicy policy = new DisablePolicy(subscriptions, deliveries, intake, settings.disableAfter(), ownership::delivers);
        AttemptLog attemptLog = attempt -> attemptProducer.send(new ProducerRecord<>(topics.notificationAttempts().name(),
                attempt.getDeliveryId().toString(), attempt), (metadata, error) -> {
                    if (error != null) {
                        log.warn("Attempt {} of delivery {} is missing from notification-attempts: {}", attempt.getAttempt(),
                                attempt.getDeliveryId(), error.toString());
                    }
                });
        Attempts attempts = new Attempts(subscriptions, deliveries, policy, attemptLog, senders, settings.schedule(), clock);
        this.reader = new InputReader(topics, kafkaAndRegistry, settings.groupId(), settings.instanceId(), settings.sessionTimeout(), intake,
                deliveries, writes, ownership, state, this::inputAssigned);
        // Only while it holds its input, and each delivery only while it holds that delivery's partition and has read what
        // was written before it got it: a node whose partition went to another (or that another of its instance id fenced)
        // stops starting its attempts, and the one that took it over waits until those under way are recorded.
        this.dispatcher = new Dispatcher(due, deliveries, attempts, settings.workers(), clock, reader::reading, ownership::delivers);
    }

    /** The partitions of an input topic (as the broker has them: the ownership rule needs the real count). */
    private int partitions(String topic) {
        Map<String, Object> props = new HashMap<>(kafka);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            return consumer.partitionsFor(topic).size();
        }
    }

    /** Reads the subscriptions and deliveries back, then starts following them, reading input and delivering. */
    public Notifier start() {
        deliveries.listen(due);
        state.start();
        state.awaitCaughtUp(START_READ);
        List<Delivery> all = deliveries.all();
        long pending = all.stream().filter(d -> d.status() == Delivery.Status.PENDING).count();
        log.info("Notifier state read back: {} subscriptions, {} deliveries ({} pending)", subscriptions.size(), all.size(), pending);
        sweep();
        long every = Math.max(100, Math.min(retention.toMillis() / 4, Duration.ofMinutes(1).toMillis()));
        sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
        reader.start();
        dispatcher.start();
        started = true;
        return this;
    }

    /** Reading its input and delivering every partition assigned to it (none may be, with more nodes than partitions). */
    public boolean ready() {
        return reader.reading() && !ownership.waiting() && dispatcher.alive() && state.alive();
    }

    /**
     * Input partitions were assigned: another node (or a notifier of this instance id: a rolling deploy, a
     * restart while the old one still ran) may have held them until now, and may still be ending attempts.
     * Wait until those are over and written, read what was written meanwhile, then deliver theirs.
     */
    private void inputAssigned(Collection<TopicPartition> partitions) {
        long assignment = ownership.assigned(partitions);
        Set<TopicPartition> taken = Set.copyOf(partitions);
        sweeper.schedule(() -> takeOver(taken, assignment), takeOverWait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void takeOver(Set<TopicPartition> partitions, long assignment) {
        try {
            state.awaitCaughtUp(WRITE_TIMEOUT);
        } catch (RuntimeException e) {
            // Given up, the partitions would stay assigned and undelivered with nothing said: try again until it works.
            log.warn("Could not read the notifier's state after input partitions {} were assigned ({}); trying again in 1 s. "
                    + "Their notices wait meanwhile; check that Kafka is up and notify-subscriptions and notify-deliveries "
                    + "can be read", partitions, e.toString());
            sweeper.schedule(() -> takeOver(partitions, assignment), 1, TimeUnit.SECONDS);
            return;
        }
        Set<TopicPartition> now = ownership.caughtUp(partitions, assignment);
        if (now.isEmpty()) {
            return;
        }
        // Their due deliveries were passed over while another node held them: in line again.
        long pending = 0;
        for (Delivery delivery : deliveries.all()) {
            if (delivery.status() == Delivery.Status.PENDING && now.contains(ownership.partitionOf(delivery.notice()))) {
                due.offer(delivery);
                pending++;
            }
        }
        log.info("Delivering input partitions {} ({} pending deliveries): state read on to its end after {}", now, pending, takeOverWait);
    }

    /** A record of a state topic, as the follower reads it. */
    private void followed(String topic, String key, byte[] value, long offset) {
        if (topic.equals(topics.notifySubscriptions().name())) {
            subscriptions.followed(key, value == null ? null : format.readSubscription(value), offset);
        } else {
            deliveries.followed(key, value == null ? null : format.readDelivery(value), offset);
        }
    }

    /**
     * Its threads run: false once the input reader, the dispatcher or the state follower died (a restart
     * is the cure). A reader that ended because another notifier of its instance id took the input over
     * counts as running: this one is not ready, and a restart would take the input back from the new one.
     */
    public boolean live() {
        return !started || (reader.alive() || reader.fenced()) && dispatcher.alive() && state.alive();
    }

    // ---- subscriptions (the API's operations) ----

    public Collection<Subscription> subscriptions() {
        return subscriptions.all();
    }

    public Optional<Subscription> subscription(String id) {
        return subscriptions.get(id);
    }

    public Subscription save(Subscription subscription) {
        return subscriptions.put(subscription);
    }

    public boolean delete(String id) {
        return subscriptions.delete(id);
    }

    /**
     * Changes the subscription as it is now (rotate its secret, enable it): unlike {@link #save} of a copy
     * read before, a change a worker made meanwhile (failing, disabled) is kept. Empty when it is gone.
     */
    public Optional<Subscription> update(String id, UnaryOperator<Subscription> change) {
        return subscriptions.update(id, change);
    }

    // ---- deliveries ----

    /** The delivery log, newest first, at most {@code limit}. */
    public List<Delivery> deliveries(Optional<String> subscriptionId, Optional<Delivery.Status> status, int limit) {
        return deliveries.list(subscriptionId, status, limit);
    }

    public Optional<Delivery> delivery(String id) {
        return deliveries.get(id);
    }

    /** Sends a delivery again now, whatever became of it (a receiver lost it, or was fixed after it failed). */
    public Optional<Delivery> redeliver(String id) {
        return deliveries.update(id, known -> known.redeliver(clock.instant()), DeliveryStore.Write.ONCE, "");
    }

    /** Drops the deliveries finished longer than the retention ago (see {@link DeliveryStore#expire}). */
    private void sweep() {
        try {
            int dropped = deliveries.expire(clock.instant(), retention, ownership::delivers);
            if (dropped > 0) {
                log.info("Dropped {} deliveries finished more than {} ago (tombstones on {})", dropped, retention,
                        topics.notifyDeliveries().name());
            }
        } catch (RuntimeException e) {
            log.warn("Could not drop the deliveries finished more than {} ago, trying again later: {}", retention, e.getMessage());
        }
    }

    /** Stops reading, then waits for the attempts under way and records them. */
    @Override
    public void close() {
        sweeper.shutdownNow();
        reader.close();
        state.close();
        writes.stop(); // a write that fails from now on is not retried: the restart does it
        dispatcher.close();
        stateWriter.close();
        attemptProducer.close();
    }
}
