package dev.omnistock.testsupport;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** What every benchmark measures and prints the same way. */
public final class Benchmarks {

    private static final long PACING_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private Benchmarks() {
    }

    /**
     * A producer tuned for throughput the way the benchmarks compare against: acks=all, lz4, 5 ms
     * linger, 64 KB batches, on top of {@code base} (bootstrap servers, serializers, registry).
     */
    public static Map<String, Object> throughputProducer(Map<String, Object> base) {
        Map<String, Object> props = new HashMap<>(base);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 65_536);
        return props;
    }

    /** Reads every partition of the topics from the start as bytes until {@code expected} records came; records per second. */
    /**
     * A send callback that keeps the first failure, for producers that send a backlog without waiting on
     * each record: a record the broker never took must fail the run, not make its figures quietly wrong.
     */
    public static final class SendFailures implements Callback {
        private final AtomicReference<Exception> first = new AtomicReference<>();

        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            if (exception != null) {
                first.compareAndSet(null, exception);
            }
        }

        /** Throws if any send failed; call after the producer's flush. */
        public void check() {
            Exception failure = first.get();
            if (failure != null) {
                throw new IllegalStateException("A record of the workload was not written: " + failure.getMessage(), failure);
            }
        }
    }

    public static double rawConsume(Map<String, Object> clientProperties, Collection<String> topics, long expected) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long started = System.nanoTime();
            long read = 0;
            while (read < expected) {
                read += consumer.poll(Duration.ofMillis(100)).count();
            }
            double rate = read / seconds(started);
            log("raw consume: %,d records at %,.0f/s", read, rate);
            return rate;
        }
    }

    /**
     * Deletes the topics whose names start with one of the run's prefixes (its own topics and its
     * applications' changelogs and repartition topics): a run writes millions of records, and kept
     * runs fill the broker's disk. Benchmarks skip this when BENCH_KEEP=true.
     */
    public static void deleteTopicsOfRun(String bootstrapServers, Collection<String> prefixes) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            List<String> ours = admin.listTopics().names().get().stream()
                    .filter(name -> prefixes.stream().anyMatch(name::startsWith)).toList();
            admin.deleteTopics(ours).all().get();
            log("deleted the run's %d topics (BENCH_KEEP=true keeps them)", ours.size());
        }
    }

    /** The value at quantile p (0..1) of sorted values. */
    public static double percentile(long[] sorted, double p) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, index)];
    }

    /**
     * Waits, parked, until {@code System.nanoTime()} reaches dueNanos rounded up to a whole millisecond.
     * A steady-rate sender calls it with each event's due time on a fixed schedule, so a late wake-up is
     * made up by sending the events that fell due at once; spinning instead would take one of the
     * machine's cores from what is measured. The rounding wakes a sender of 10,000 events a second
     * once a millisecond instead of once an event: parking for each event took the inventory
     * benchmark's sender 5.8 s of CPU in 30 s, against 2.2 s now. Senders time each event when they
     * send it, not by its due time, so the wait for the tick is not counted as latency.
     */
    public static void waitUntil(long dueNanos) {
        long tick = Math.floorDiv(dueNanos + PACING_TICK_NANOS - 1, PACING_TICK_NANOS) * PACING_TICK_NANOS;
        for (long wait = tick - System.nanoTime(); wait > 0; wait = tick - System.nanoTime()) {
            LockSupport.parkNanos(wait);
        }
    }

    public static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /** A progress or result line, timestamped. */
    public static void log(String format, Object... args) {
        System.out.printf("%s %s%n", Instant.now(), String.format(format, args));
    }
}
