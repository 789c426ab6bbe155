package dev.omnistock.inventory.bench;

import dev.omnistock.events.InventoryPosition;
import dev.omnistock.events.StockEvent;
import dev.omnistock.topics.TopicSpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Where a change's time goes (BENCH_LATENCY_STAGES=true). Two readers beside the service, each in a
 * thread of its own: one on the stock-movements topic notes when each probe became readable there, one
 * on the availability topic (uncommitted, as the feed reads it) notes when the service processed it (the
 * position's {@code updatedAt}) and when its change became readable. With the send and feed times the
 * benchmark keeps, each change's latency splits into send → on the input topic → processed → on the
 * availability topic → on the feed, in wall-clock milliseconds. The first stage is the broker's part,
 * which any Kafka client sees too. The readers cost the JVM a second decoding of every event, so they
 * are off by default.
 */
final class LatencyStages implements AutoCloseable {

    private final Map<String, Integer> indexById;
    private final long[] onInputMillis;
    private final long[] processedMillis;
    private final long[] onOutputMillis;
    private final List<Reader<?>> readers;

    LatencyStages(Map<String, Object> clientProperties, TopicSpec<String, StockEvent> input,
                  TopicSpec<String, InventoryPosition> output, Map<String, Integer> indexById, int probes) {
        this.indexById = indexById;
        this.onInputMillis = new long[probes];
        this.processedMillis = new long[probes];
        this.onOutputMillis = new long[probes];
        this.readers = List.of(
                new Reader<>(clientProperties, input, (event, now) -> note(event.getEventId().toString(), index -> onInputMillis[index] = now)),
                new Reader<>(clientProperties, output, (position, now) -> note(position.getCausedByEventId(), index -> {
                    processedMillis[index] = position.getUpdatedAt().toEpochMilli();
                    onOutputMillis[index] = now;
                })));
    }

    private void note(String eventId, IntConsumer at) {
        Integer index = eventId == null ? null : indexById.get(eventId);
        if (index != null) {
            at.accept(index);
        }
    }

    /** Reads one topic from its end in a thread of its own, handing each value and its arrival time on. */
    private static final class Reader<V> {
        private final KafkaConsumer<String, V> consumer;
        private final Thread thread;
        private volatile boolean running = true;

        Reader(Map<String, Object> clientProperties, TopicSpec<String, V> topic, BiConsumer<V, Long> onValue) {
            Map<String, Object> props = new HashMap<>(clientProperties);
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            this.consumer = topic.consumerFromEnd(props);
            this.thread = new Thread(() -> {
                try {
                    while (running) {
                        for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(50))) {
                            long now = System.currentTimeMillis();
                            if (record.value() != null) {
                                onValue.accept(record.value(), now);
                            }
                        }
                    }
                } catch (WakeupException e) {
                    // closing
                } finally {
                    consumer.close();
                }
            }, "latency-stages-" + topic.name());
            thread.setDaemon(true);
            thread.start();
        }

        void close() throws InterruptedException {
            running = false;
            consumer.wakeup();
            thread.join(10_000);
        }
    }

    /**
     * For the slowest 1 % of the probes in [from, to): the mean of each stage, in milliseconds. Call
     * after {@link #close()}, which makes the readers' notes visible.
     */
    String slowestPercent(long[] sentMillis, AtomicLongArray feedMillis, int from, int to) {
        Integer[] seen = java.util.stream.IntStream.range(from, to)
                .filter(i -> feedMillis.get(i) > 0 && onInputMillis[i] > 0 && onOutputMillis[i] > 0).boxed().toArray(Integer[]::new);
        if (seen.length == 0) {
            return "no stages seen";
        }
        Arrays.sort(seen, (a, b) -> Long.compare(feedMillis.get(b) - sentMillis[b], feedMillis.get(a) - sentMillis[a]));
        int n = Math.max(1, seen.length / 100);
        double toInput = 0, processing = 0, toOutput = 0, toFeed = 0;
        for (int k = 0; k < n; k++) {
            int i = seen[k];
            toInput += onInputMillis[i] - sentMillis[i];
            processing += processedMillis[i] - onInputMillis[i];
            toOutput += onOutputMillis[i] - processedMillis[i];
            toFeed += feedMillis.get(i) - onOutputMillis[i];
        }
        return String.format("its slowest %d: send to the input topic %.0f ms, to processed %.0f ms, to the availability topic %.0f ms,"
                + " to the feed %.0f ms", n, toInput / n, processing / n, toOutput / n, toFeed / n);
    }

    @Override
    public void close() throws InterruptedException {
        for (Reader<?> reader : readers) {
            reader.close();
        }
    }
}
