package dev.omnistock.notify;

import dev.omnistock.notify.delivery.Delivery;
import dev.omnistock.notify.delivery.DeliveryStore;
import dev.omnistock.notify.delivery.DueQueue;
import dev.omnistock.notify.delivery.RetrySchedule;
import dev.omnistock.notify.notices.Notice;
import dev.omnistock.notify.send.Sender;
import dev.omnistock.notify.persist.StateCodec;
import dev.omnistock.notify.persist.StateFormat;
import dev.omnistock.notify.persist.StateWriter;
import dev.omnistock.notify.persist.StateWrites;
import dev.omnistock.notify.subscriptions.Subscription;
import dev.omnistock.notify.send.Signatures;
import dev.omnistock.events.NotificationAttempt;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;

/**
 * The notifier's parts put together as {@link Notifier} does, without Kafka: state goes to an
 * in-memory writer that can be made to fail, notices to a sender the test provides.
 */
final class Parts implements AutoCloseable {

    static final String SUBSCRIPTIONS = "subs";
    static final String DELIVERIES = "deliveries";

    /** The state topics as last written (a tombstone removes the key), and a way to make writes fail. */
    static final class Writer implements StateWriter {
        final Map<String, byte[]> latest = new ConcurrentHashMap<>();
        final List<String> written = new CopyOnWriteArrayList<>();
        final AtomicInteger failures = new AtomicInteger();
        /** The offset the next record gets (one log for every topic: offsets only order writes). */
        final AtomicLong offsets = new AtomicLong();
        /** Fails a write while this says so (topic, key); counted in {@link #failures}. */
        volatile BiPredicate<String, String> failWhile = (topic, key) -> false;

        @Override
        public CompletableFuture<Long> send(String topic, String key, byte[] value) {
            if (failWhile.test(topic, key)) {
                failures.incrementAndGet();
                return CompletableFuture.failedFuture(new org.apache.kafka.common.errors.TimeoutException("injected: the broker is away"));
            }
            if (value == null) {
                latest.remove(topic + "/" + key);
            } else {
                latest.put(topic + "/" + key, value);
            }
            written.add(topic + "/" + key);
            return CompletableFuture.completedFuture(offsets.getAndIncrement());
        }

        <T> T read(String topic, String key, Class<T> type) {
            byte[] value = latest.get(topic + "/" + key);
            return value == null ? null : StateCodec.read(value, type);
        }
    }

    final Writer writer = new Writer();
    final StateWrites writes = new StateWrites(writer, Duration.ofSeconds(5), Duration.ofMillis(20), Duration.ofMillis(100));
    final SubscriptionStore subscriptions = new SubscriptionStore(writes, SUBSCRIPTIONS, StateFormat.JSON);
    final DeliveryStore deliveries = new DeliveryStore(writes, DELIVERIES, Duration.ofSeconds(2), StateFormat.JSON);
    final DueQueue due;
    final Intake intake;
    final DisablePolicy policy;
    final Attempts attempts;
    final Dispatcher dispatcher;
    final List<NotificationAttempt> logged = new CopyOnWriteArrayList<>();
    final RetrySchedule schedule;

    Parts(Sender sender, RetrySchedule schedule, Duration disableAfter) {
        Clock clock = Clock.systemUTC();
        this.schedule = schedule;
        due = new DueQueue(clock, deliveries::get);
        deliveries.listen(due);
        intake = new Intake(subscriptions, deliveries, schedule, clock, Notifier.DELIVERY_RETENTION);
        policy = new DisablePolicy(subscriptions, deliveries, intake, disableAfter, delivery -> true);
        Map<Subscription.Kind, Sender> senders = Map.of(Subscription.Kind.WEBHOOK, sender, Subscription.Kind.SLACK, sender,
                Subscription.Kind.EMAIL, sender);
        attempts = new Attempts(subscriptions, deliveries, policy, logged::add, senders, schedule, clock);
        dispatcher = new Dispatcher(due, deliveries, attempts, 4, clock, () -> true, delivery -> true);
    }

    Parts start() {
        dispatcher.start();
        return this;
    }

    Subscription subscribe(String id, Subscription.Filter filter) {
        return subscriptions.put(new Subscription(id, new Subscription.Destination(Subscription.Kind.WEBHOOK, "https://receiver.example/" + id),
                filter, List.of(Signatures.newSecret()), null, Instant.now(), null, null, null));
    }

    /** Turns a notice into its deliveries, as the input reader does (written, then kept). */
    List<Delivery> take(Notice notice) {
        List<Delivery> created = intake.deliveriesFor(notice);
        List<CompletableFuture<Long>> written = created.stream().map(deliveries::writeNew).toList();
        writes.await(written, "test");
        for (int i = 0; i < created.size(); i++) {
            deliveries.added(created.get(i), written.get(i).join());
        }
        return created;
    }

    static Notice alert(String id, String sku) {
        return new Notice(id, "inventory.alert.low_stock", Instant.now(), List.of(sku), List.of("DC-1"), null, "LOW STOCK " + sku,
                Map.of("sku", sku));
    }

    static Notice order(String orderId, long sequence, String status) {
        return new Notice(orderId + "/" + sequence, "order.status." + status, Instant.now(), List.of("SKU-1"), List.of(), "WEB",
                "Order " + orderId + " is " + status, Map.of("orderId", orderId, "sequence", sequence, "status", status.toUpperCase()));
    }

    @Override
    public void close() {
        writes.stop();
        dispatcher.close();
    }
}
