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
import dev.omnistock.topics.TopicSpec;
import dev.omnistock.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerConfig;
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
 * <p>One notifier runs per deployment: it reads all of its state at start.
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
     * @param takeOverWait      once its input is assigned, how long the notifier waits before it reads the state written
     *                          meanwhile and delivers: longer than a notifier it fenced needs to stop starting attempts
     *                          and end those under way ({@link #takeOverWait})
     */
    public record Settings(RetrySchedule schedule, Duration disableAfter, Duration secretOverlap, int workers, String groupId,
                           Duration deliveryRetention, Duration takeOverWait) {

        public Settings(RetrySchedule schedule, Duration disableAfter, Duration secretOverlap, int workers, String groupId) {
            this(schedule, disableAfter, secretOverlap, workers, groupId, DELIVERY_RETENTION, TAKE_OVER_WAIT);
        }

        public Settings(RetrySchedule schedule, Duration disableAfter, Duration secretOverlap, int workers, String groupId,
                        Duration deliveryRetention) {
            this(schedule, disableAfter, secretOverlap, workers, groupId, deliveryRetention, TAKE_OVER_WAIT);
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
    private final Duration retention;
    private final Duration takeOverWait;
    /** Where this notifier's reading of each state topic ended: a take-over reads on from there. */
    private final Map<TopicPartition, Long> stateRead = new ConcurrentHashMap<>();
    /** Counts assignments of the input: a take-over that a later one overtook does nothing. */
    private final AtomicLong assignments = new AtomicLong();
    /** The state written before the input was last assigned is read: deliveries may go. */
    private volatile boolean caughtUp;
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
        this.stateWriter = new KafkaStateWriter(kafkaAndRegistry);
        Map<String, Object> producerProps = new HashMap<>(kafkaAndRegistry);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.attemptProducer = new KafkaProducer<>(producerProps, new StringSerializer(), topics.notificationAttempts().valueSerde().serializer());
        this.writes = new StateWrites(stateWriter.apply(this.stateWriter), WRITE_TIMEOUT, Duration.ofMillis(200), Duration.ofSeconds(30));
        this.format = new AvroStateFormat(topics);
        this.subscriptions = new SubscriptionStore(writes, topics.notifySubscriptions().name(), format);
        this.deliveries = new DeliveryStore(writes, topics.notifyDeliveries().name(), WRITE_TIMEOUT, format);
        this.due = new DueQueue(clock, deliveries::get);
        Intake intake = new Intake(subscriptions, deliveries, settings.schedule(), clock, retention);
        DisablePolicy policy = new DisablePolicy(subscriptions, deliveries, intake, settings.disableAfter());
        AttemptLog attemptLog = attempt -> attemptProducer.send(new ProducerRecord<>(topics.notificationAttempts().name(),
                attempt.getDeliveryId().toString(), attempt), (metadata, error) -> {
                    if (error != null) {
                        log.warn("Attempt {} of delivery {} is missing from notification-attempts: {}", attempt.getAttempt(),
                                attempt.getDeliveryId(), error.toString());
                    }
                });
        Attempts attempts = new Attempts(subscriptions, deliveries, policy, attemptLog, senders, settings.schedule(), clock);
        this.reader = new InputReader(topics, kafkaAndRegistry, settings.groupId(), intake, deliveries, writes, this::inputAssigned);
        // Only while it holds its input and has read what was written before: a notifier fenced by another (same group,
        // a rolling deploy) stops starting attempts, and the one that took over waits until those under way are recorded.
        this.dispatcher = new Dispatcher(due, deliveries, attempts, settings.workers(), clock, () -> caughtUp && reader.reading());
    }

    /** Reads the subscriptions and deliveries back, then starts reading input and delivering. */
    public Notifier start() {
        readState(topics.notifySubscriptions(), (key, value) -> subscriptions.loaded(key, value == null ? null : format.readSubscription(value)));
        readState(topics.notifyDeliveries(), (key, value) -> deliveries.loaded(key, value == null ? null : format.readDelivery(value)));
        List<Delivery> all = deliveries.all();
        all.forEach(delivery -> due.changed(null, delivery));
        deliveries.listen(due);
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

    /** Reading its input and delivering. */
    public boolean ready() {
        return caughtUp && reader.reading() && dispatcher.alive();
    }

    /**
     * Its input was assigned: another notifier of the group may have held it until now (a rolling deploy,
     * or a restart while the old one still ran), and may still be ending attempts. Wait until those are
     * over and written, read what was written meanwhile, then deliver.
     */
    private void inputAssigned() {
        long assignment = assignments.incrementAndGet();
        caughtUp = false;
        sweeper.schedule(() -> {
            if (assignments.get() != assignment) {
                return;
            }
            try {
                readState(topics.notifySubscriptions(), (key, value) -> subscriptions.loaded(key, value == null ? null
                        : format.readSubscription(value)));
                readState(topics.notifyDeliveries(), (key, value) -> deliveries.replaced(key, value == null ? null
                        : format.readDelivery(value)));
                caughtUp = assignments.get() == assignment;
                log.info("Notifier input assigned; state read on to its end after {}: delivering", takeOverWait);
            } catch (RuntimeException e) {
                log.warn("Could not read the notifier's state after its input was assigned ({}); trying again", e.toString());
                sweeper.schedule(this::inputAssigned, 1, TimeUnit.SECONDS);
            }
        }, takeOverWait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Its threads run: false once the input reader or the dispatcher died (a restart is the cure). A
     * reader that ended because another notifier took the input over counts as running: this one is
     * not ready, and a restart would take the input back from the new one.
     */
    public boolean live() {
        return !started || (reader.alive() || reader.fenced()) && dispatcher.alive();
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
            int dropped = deliveries.expire(clock.instant(), retention);
            if (dropped > 0) {
                log.info("Dropped {} deliveries finished more than {} ago (tombstones on {})", dropped, retention,
                        topics.notifyDeliveries().name());
            }
        } catch (RuntimeException e) {
            log.warn("Could not drop the deliveries finished more than {} ago, trying again later: {}", retention, e.getMessage());
        }
    }

    // ---- the state topics ----

    /** Reads a state topic from where this notifier's last reading of it ended (its start, the first time) to its end as of now. */
    private synchronized void readState(TopicSpec<String, ?> topic, BiConsumer<String, byte[]> apply) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            partitions.forEach(p -> {
                Long from = stateRead.get(p);
                if (from != null) {
                    consumer.seek(p, from);
                }
            });
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> apply.accept(record.key(), record.value()));
            }
            partitions.forEach(p -> stateRead.put(p, consumer.position(p)));
        }
    }

    /** Stops reading, then waits for the attempts under way and records them. */
    @Override
    public void close() {
        sweeper.shutdownNow();
        reader.close();
        writes.stop(); // a write that fails from now on is not retried: the restart does it
        dispatcher.close();
        stateWriter.close();
        attemptProducer.close();
    }
}
