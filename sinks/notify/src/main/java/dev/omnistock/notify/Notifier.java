package dev.omnistock.notify;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.omnistock.events.DestinationKind;
import dev.omnistock.events.InventoryAlert;
import dev.omnistock.events.NotificationAttempt;
import dev.omnistock.events.OrderStatusChanged;
import dev.omnistock.notify.delivery.Delivery;
import dev.omnistock.notify.delivery.RetrySchedule;
import dev.omnistock.notify.notices.Notice;
import dev.omnistock.notify.notices.Notices;
import dev.omnistock.notify.send.Sender;
import dev.omnistock.notify.subscriptions.Subscription;
import dev.omnistock.serde.SchemaRegistryUnavailableException;
import dev.omnistock.topics.DeadLetterHeaders;
import dev.omnistock.topics.TopicSpec;
import dev.omnistock.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads inventory alerts and order status changes, matches them to subscriptions and delivers each
 * to each destination, retrying on the schedule.
 *
 * <p>Durability: a delivery is written to the compacted notify-deliveries topic before the input
 * record is committed, and after every attempt before anything else happens. A restart reads that
 * topic back: pending deliveries resume at their next attempt; delivered ones are never sent again.
 * Only a crash between a receiver's 2xx and that write can repeat a notice, with the same
 * webhook-id, which receivers use to drop it.
 *
 * <p>One notifier runs per deployment: it reads all of its state at start.
 */
public final class Notifier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Notifier.class);
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final long RETRY_MS = 1_000;

    /** How the notifier behaves; see the README's settings. */
    public record Settings(RetrySchedule schedule, Duration disableAfter, Duration secretOverlap, int workers, String groupId) {
    }

    private final Topics topics;
    private final Map<String, Object> kafka;
    private final Settings settings;
    private final Map<Subscription.Kind, Sender> senders;
    private final Clock clock;
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    /** Held from reading a delivery to writing its next state, where an attempt and a redelivery by hand could cross. */
    private final Object transitions = new Object();
    private final Map<String, Delivery> deliveries = new ConcurrentHashMap<>();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final KafkaProducer<String, byte[]> state;
    private final KafkaProducer<String, NotificationAttempt> attempts;
    private final KafkaProducer<byte[], byte[]> deadLetters;
    private final ExecutorService workers;
    private final Thread reader;
    private final Thread dispatcher;
    private volatile boolean running = true;
    /** True once the input's partitions are assigned: from then on no alert goes unseen. */
    private volatile boolean reading;
    private volatile KafkaConsumer<String, byte[]> input;

    public Notifier(Topics topics, Map<String, Object> kafkaAndRegistry, Settings settings, Map<Subscription.Kind, Sender> senders, Clock clock) {
        this.topics = topics;
        this.kafka = kafkaAndRegistry;
        this.settings = settings;
        this.senders = senders;
        this.clock = clock;
        Map<String, Object> producerProps = new HashMap<>(kafkaAndRegistry);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.state = new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer());
        this.attempts = new KafkaProducer<>(producerProps, new StringSerializer(), topics.notificationAttempts().valueSerde().serializer());
        this.deadLetters = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
        this.workers = Executors.newFixedThreadPool(settings.workers(), runnable -> {
            Thread thread = new Thread(runnable, "notify-worker");
            thread.setDaemon(true);
            return thread;
        });
        this.reader = new Thread(this::readInput, "notify-reader");
        this.dispatcher = new Thread(this::dispatch, "notify-dispatcher");
    }

    /** Reads the subscriptions and deliveries back, then starts reading input and delivering. */
    public Notifier start() {
        readAll(topics.notifySubscriptions(), (key, value) -> {
            if (value == null) {
                subscriptions.remove(key);
            } else {
                subscriptions.put(key, read(value, Subscription.class));
            }
        });
        readAll(topics.notifyDeliveries(), (key, value) -> {
            if (value == null) {
                deliveries.remove(key);
            } else {
                deliveries.put(key, read(value, Delivery.class));
            }
        });
        long pending = deliveries.values().stream().filter(d -> d.status() == Delivery.Status.PENDING).count();
        log.info("Notifier state read back: {} subscriptions, {} deliveries ({} pending)", subscriptions.size(), deliveries.size(), pending);
        reader.start();
        dispatcher.start();
        return this;
    }

    /** Reading its input and delivering. */
    public boolean ready() {
        return reading && reader.isAlive() && dispatcher.isAlive();
    }

    // ---- subscriptions (the API's operations) ----

    public Collection<Subscription> subscriptions() {
        return List.copyOf(subscriptions.values());
    }

    public Optional<Subscription> subscription(String id) {
        return Optional.ofNullable(subscriptions.get(id));
    }

    public Subscription save(Subscription subscription) {
        write(topics.notifySubscriptions(), subscription.id(), subscription);
        subscriptions.put(subscription.id(), subscription);
        return subscription;
    }

    public boolean delete(String id) {
        if (subscriptions.remove(id) == null) {
            return false;
        }
        write(topics.notifySubscriptions(), id, null);
        return true;
    }

    // ---- deliveries ----

    public List<Delivery> deliveries(Optional<String> subscriptionId, Optional<Delivery.Status> status, int limit) {
        return deliveries.values().stream()
                .filter(d -> subscriptionId.map(d.subscriptionId()::equals).orElse(true))
                .filter(d -> status.map(s -> d.status() == s).orElse(true))
                .sorted((a, b) -> b.createdAt().compareTo(a.createdAt()))
                .limit(limit).toList();
    }

    public Optional<Delivery> delivery(String id) {
        return Optional.ofNullable(deliveries.get(id));
    }

    /** Sends a delivery again now, whatever became of it (a receiver lost it, or was fixed after it failed). */
    public Optional<Delivery> redeliver(String id) {
        Delivery again;
        synchronized (transitions) {
            Delivery known = deliveries.get(id);
            if (known == null) {
                return Optional.empty();
            }
            again = known.redeliver(clock.instant());
            record(again);
        }
        synchronized (dispatcher) {
            dispatcher.notifyAll();
        }
        return Optional.of(again);
    }

    // ---- input ----

    private void readInput() {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        // Static membership: one notifier runs, so a restart after a crash takes its partitions back at once
        // instead of waiting out the dead member's session.
        props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, settings.groupId() + "-notifier");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"); // a new notifier tells what happens from now on
        Deserializer<InventoryAlert> alerts = topics.inventoryAlerts().valueSerde().deserializer();
        Deserializer<OrderStatusChanged> changes = topics.orderStatus().valueSerde().deserializer();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            input = consumer;
            consumer.subscribe(List.of(topics.inventoryAlerts().name(), topics.orderStatus().name()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    reading = false;
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    // Resolve "latest" now: otherwise it is looked up at the next fetch, and a record written
                    // in between, after the notifier said it was ready, would be skipped.
                    partitions.forEach(consumer::position);
                    reading = true;
                }
            });
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                try {
                    List<Delivery> created = new ArrayList<>();
                    for (ConsumerRecord<String, byte[]> record : records) {
                        notice(record, alerts, changes).ifPresent(notice -> created.addAll(deliveriesFor(notice)));
                    }
                    state.flush(); // every new delivery is durable before its input is committed
                    if (!records.isEmpty()) {
                        consumer.commitSync();
                    }
                    if (!created.isEmpty()) {
                        synchronized (dispatcher) {
                            dispatcher.notifyAll();
                        }
                    }
                } catch (org.apache.kafka.common.errors.RetriableException e) {
                    // Down is not bad input: read the same records again once it is back.
                    log.warn("Notifier input waits: {}; retrying in {} ms", e.getMessage(), RETRY_MS);
                    records.partitions().forEach(p -> consumer.seek(p, records.records(p).get(0).offset()));
                    Thread.sleep(RETRY_MS);
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("The notifier's input reader stopped; restart the notifier (nothing is lost: uncommitted input is read again)", e);
        }
    }

    /** The record's notice; an unreadable one goes to the dead-letter topic with the reason. */
    private Optional<Notice> notice(ConsumerRecord<String, byte[]> record, Deserializer<InventoryAlert> alerts,
                                    Deserializer<OrderStatusChanged> changes) {
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
            deadLetters.send(new ProducerRecord<>(topics.deadLetters().name(), null,
                    record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8), record.value(), headers));
            log.warn("The notifier dead-lettered an unreadable record of {} partition {} offset {}: {}",
                    record.topic(), record.partition(), record.offset(), e.getMessage());
            return Optional.empty();
        }
    }

    /** A delivery per subscription that wants the notice, unless one exists (the input was read again). */
    private List<Delivery> deliveriesFor(Notice notice) {
        List<Delivery> created = new ArrayList<>();
        Instant now = clock.instant();
        for (Subscription subscription : subscriptions.values()) {
            if (subscription.wants(notice) && !deliveries.containsKey(Delivery.idOf(notice.id(), subscription.id()))) {
                Delivery delivery = Delivery.of(notice, subscription.id(), now, settings.schedule());
                deliveries.put(delivery.id(), delivery);
                state.send(new ProducerRecord<>(topics.notifyDeliveries().name(), delivery.id(), bytes(delivery)));
                created.add(delivery);
            }
        }
        return created;
    }

    // ---- delivering ----

    private void dispatch() {
        while (running) {
            Instant now = clock.instant();
            for (Delivery delivery : deliveries.values()) {
                if (delivery.dueAt(now) && inFlight.add(delivery.id())) {
                    workers.submit(() -> attempt(delivery.id()));
                }
            }
            try {
                synchronized (dispatcher) {
                    dispatcher.wait(200);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void attempt(String deliveryId) {
        try {
            Delivery delivery = deliveries.get(deliveryId);
            Instant now = clock.instant();
            if (delivery == null || !delivery.dueAt(now)) {
                return;
            }
            Subscription subscription = subscriptions.get(delivery.subscriptionId());
            if (subscription == null || !subscription.enabled()) {
                record(delivery.abandoned(now, subscription == null ? "the subscription was deleted" : "the subscription is disabled"));
                return;
            }
            Delivery.Result result = senders.get(subscription.destination().kind()).send(subscription, delivery.notice(), now);
            Delivery after = delivery.after(result, clock.instant(), settings.schedule());
            synchronized (transitions) {
                Delivery meanwhile = deliveries.get(deliveryId);
                if (meanwhile != delivery && meanwhile.status() == Delivery.Status.PENDING) {
                    // Sent again by hand while this attempt was under way: the attempt counts, and the delivery is due again.
                    after = after.redeliver(clock.instant());
                }
                record(after);
            }
            log(after, subscription);
            if (result.delivered()) {
                if (subscription.failingSince() != null) {
                    save(subscription.working());
                }
            } else {
                Subscription failing = subscription.failing(now);
                if (failing != subscription) {
                    save(failing);
                }
                if (Duration.between(failing.failingSince(), clock.instant()).compareTo(settings.disableAfter()) >= 0) {
                    disable(failing, clock.instant());
                }
            }
        } catch (RuntimeException e) {
            // Kafka away: the delivery stays as it was written last, and is tried again.
            log.warn("Delivery {} could not be recorded ({}); it will be tried again", deliveryId, e.getMessage());
        } finally {
            inFlight.remove(deliveryId);
        }
    }

    /** Its endpoint failed longer than allowed: no more attempts, and whoever subscribed to that is told. */
    private void disable(Subscription subscription, Instant now) {
        String reason = "its endpoint failed every attempt for " + settings.disableAfter() + " (since " + subscription.failingSince() + ")";
        save(subscription.disabled(now, reason));
        log.warn("Disabled subscription {} ({} {}): {}. Enable it through the API once the endpoint works.", subscription.id(),
                subscription.destination().kind(), subscription.destination().target(), reason);
        deliveries.values().stream().filter(d -> d.subscriptionId().equals(subscription.id()) && d.status() == Delivery.Status.PENDING)
                .forEach(d -> record(d.abandoned(now, "the subscription was disabled")));
        Notice disabled = new Notice("disabled|" + subscription.id() + "|" + now.toEpochMilli(), Notices.SUBSCRIPTION_DISABLED, now,
                List.of(), List.of(), null, "Notifications to " + subscription.destination().target() + " were disabled: " + reason,
                Map.of("subscriptionId", subscription.id(), "destination", subscription.destination().target(), "reason", reason,
                        "disabledAt", now.toString()));
        deliveriesFor(disabled);
        state.flush();
    }

    /** Writes the delivery durably, then keeps it. */
    private void record(Delivery delivery) {
        write(topics.notifyDeliveries(), delivery.id(), delivery);
        deliveries.put(delivery.id(), delivery);
    }

    private void log(Delivery delivery, Subscription subscription) {
        Delivery.Attempt attempt = delivery.lastAttempt();
        attempts.send(new ProducerRecord<>(topics.notificationAttempts().name(), delivery.id(), NotificationAttempt.newBuilder()
                .setDeliveryId(delivery.id())
                .setSubscriptionId(subscription.id())
                .setNoticeId(delivery.notice().id())
                .setKind(delivery.notice().kind())
                .setDestinationKind(DestinationKind.valueOf(subscription.destination().kind().name()))
                .setAttempt(attempt.number())
                .setAttemptedAt(attempt.at())
                .setStatusCode(attempt.statusCode())
                .setLatencyMs(attempt.latencyMs())
                .setOutcome(attempt.outcome())
                .setFailure(attempt.error())
                .setNextAttemptAt(delivery.status() == Delivery.Status.PENDING ? delivery.nextAttemptAt() : null)
                .build()));
    }

    // ---- the state topics ----

    private void write(TopicSpec<String, byte[]> topic, String key, Object value) {
        try {
            state.send(new ProducerRecord<>(topic.name(), key, value == null ? null : bytes(value))).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while writing to " + topic.name(), e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Could not write to " + topic.name() + " (is Kafka up?): " + e.getMessage(), e);
        }
    }

    private interface Apply {
        void apply(String key, byte[] value);
    }

    /** Reads a state topic from its start to its end as of now. */
    private void readAll(TopicSpec<String, byte[]> topic, Apply apply) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> apply.apply(record.key(), record.value()));
            }
        }
    }

    private static byte[] bytes(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(byte[] bytes, Class<T> type) {
        try {
            return JSON.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException("Unreadable " + type.getSimpleName() + " in the notifier's state", e);
        }
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<String, byte[]> consumer = input;
        if (consumer != null) {
            consumer.wakeup();
        }
        dispatcher.interrupt();
        workers.shutdown();
        try {
            reader.join(10_000);
            workers.awaitTermination(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        state.close();
        attempts.close();
        deadLetters.close();
    }

}
