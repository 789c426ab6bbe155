package dev.omnistock.notify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the notifier's state topics from their start and then follows them for as long as the node
 * runs, so that what any node writes (a subscription made through its API, a delivery's new state)
 * reaches every node. {@link #caughtUp} tells when everything written before it was asked is read.
 */
final class StateFollower implements AutoCloseable {

    /** Applies one record (value null: a tombstone) at its offset. */
    interface Apply {
        void apply(String topic, String key, byte[] value, long offset);
    }

    private static final Logger log = LoggerFactory.getLogger(StateFollower.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration SHORT_POLL = Duration.ofMillis(20);
    private static final Duration AFTER_FAILURE = Duration.ofSeconds(1);

    private record Asked(Map<TopicPartition, Long> end, CompletableFuture<Void> done) {
    }

    private final Map<String, Object> kafka;
    private final List<String> topics;
    private final Apply apply;
    private final Thread thread;
    private final Queue<CompletableFuture<Void>> asked = new ConcurrentLinkedQueue<>();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running = true;

    StateFollower(Map<String, Object> kafka, List<String> topics, Apply apply) {
        this.kafka = kafka;
        this.topics = topics;
        this.apply = apply;
        this.thread = new Thread(this::run, "notify-state");
        this.thread.setDaemon(true);
    }

    StateFollower start() {
        thread.start();
        return this;
    }

    boolean alive() {
        return thread.isAlive();
    }

    /** Completes once every record written to the state topics before this call has been applied. */
    CompletableFuture<Void> caughtUp() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        asked.add(done);
        KafkaConsumer<String, byte[]> following = consumer;
        if (following != null) {
            following.wakeup(); // not to wait out a poll with nothing new
        }
        if (!thread.isAlive()) {
            done.completeExceptionally(new IllegalStateException("the notifier's state reader stopped"));
        }
        return done;
    }

    /** {@link #caughtUp}, waited for; throws {@link IllegalStateException} when it takes longer than {@code timeout}. */
    void awaitCaughtUp(Duration timeout) {
        try {
            caughtUp().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading the notifier's state", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not read the notifier's state topics to their end within " + timeout.toMillis()
                    + " ms (is Kafka up?): " + e, e);
        }
    }

    private void run() {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        List<Asked> waiting = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> following = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                following.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            following.assign(partitions);
            following.seekToBeginning(partitions);
            consumer = following;
            while (running) {
                try {
                    for (CompletableFuture<Void> done; (done = asked.peek()) != null; ) {
                        waiting.add(new Asked(following.endOffsets(partitions), done));
                        asked.remove(done); // only now: a wakeup in endOffsets leaves it asked
                    }
                    answer(following, waiting);
                    // Someone waits: look again soon rather than wait out a poll with nothing new.
                    ConsumerRecords<String, byte[]> records = following.poll(waiting.isEmpty() ? POLL : SHORT_POLL);
                    if (!applied(following, records)) {
                        Thread.sleep(AFTER_FAILURE.toMillis());
                    }
                    answer(following, waiting);
                } catch (WakeupException e) {
                    // asked to catch up: the loop takes the request
                }
            }
        } catch (InterruptedException e) {
            // stopping
        } catch (RuntimeException | Error e) {
            if (!running) {
                return;
            }
            log.error("The notifier's state reader stopped: changes made through other notifier nodes no longer reach this one, "
                    + "and it takes no input partition over; /health/live says DOWN. Restart the notifier", e);
        } finally {
            consumer = null;
            IllegalStateException stopped = new IllegalStateException("the notifier's state reader stopped");
            waiting.forEach(w -> w.done().completeExceptionally(stopped));
            asked.forEach(done -> done.completeExceptionally(stopped));
        }
    }

    /** Completes the requests whose end offsets are reached. */
    private static void answer(KafkaConsumer<String, byte[]> following, List<Asked> waiting) {
        waiting.removeIf(w -> {
            boolean reached = w.end().entrySet().stream().allMatch(e -> following.position(e.getKey()) >= e.getValue());
            if (reached) {
                w.done().complete(null);
            }
            return reached;
        });
    }

    /**
     * Applies a batch in order. A record that cannot be applied (the registry away) and every later one of
     * its partition are read again; false then.
     */
    private boolean applied(KafkaConsumer<String, byte[]> following, ConsumerRecords<String, byte[]> records) {
        boolean all = true;
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                try {
                    apply.apply(record.topic(), record.key(), record.value(), record.offset());
                } catch (RuntimeException e) {
                    log.warn("Could not apply the record of {} at offset {} ({}); reading it again in {} ms", partition, record.offset(),
                            e.toString(), AFTER_FAILURE.toMillis());
                    following.seek(partition, record.offset());
                    all = false;
                    break;
                }
            }
        }
        return all;
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<String, byte[]> following = consumer;
        if (following != null) {
            following.wakeup();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
