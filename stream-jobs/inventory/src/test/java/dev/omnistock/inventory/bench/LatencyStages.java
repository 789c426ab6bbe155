package dev.omnistock.inventory.bench;

import dev.omnistock.events.InventoryPosition;
import dev.omnistock.topics.TopicSpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Where a change's time goes (BENCH_LATENCY_STAGES=true): reads the availability topic beside the feed,
 * as the feed does (uncommitted), and notes for each probe when the service processed it (the position's
 * {@code updatedAt}) and when its change was readable on the topic. With the send and feed times the
 * benchmark keeps, that splits each change's latency into send → processed → on the topic → on the feed,
 * in wall-clock milliseconds. It costs the JVM a second decoding of every change, so it is off by default.
 */
final class LatencyStages implements AutoCloseable {

    private final KafkaConsumer<String, InventoryPosition> consumer;
    private final Map<String, Integer> indexById;
    private final long[] processedMillis;
    private final long[] onTopicMillis;
    private final Thread reader;
    private volatile boolean running = true;

    LatencyStages(Map<String, Object> clientProperties, TopicSpec<String, InventoryPosition> topic, Map<String, Integer> indexById, int probes) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        this.indexById = indexById;
        this.processedMillis = new long[probes];
        this.onTopicMillis = new long[probes];
        this.reader = new Thread(this::run, "latency-stages");
        reader.setDaemon(true);
        reader.start();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, InventoryPosition> record : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.currentTimeMillis();
                    Integer index = record.value() == null || record.value().getCausedByEventId() == null
                            ? null : indexById.get(record.value().getCausedByEventId());
                    if (index != null) {
                        processedMillis[index] = record.value().getUpdatedAt().toEpochMilli();
                        onTopicMillis[index] = now;
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    /**
     * For the slowest 1 % of the probes in [from, to): the mean of each stage, in milliseconds. Call
     * after {@link #close()}, which makes this thread's notes visible.
     */
    String slowestPercent(long[] sentMillis, long[] feedMillis, int from, int to) {
        Integer[] seen = java.util.stream.IntStream.range(from, to)
                .filter(i -> feedMillis[i] > 0 && onTopicMillis[i] > 0).boxed().toArray(Integer[]::new);
        if (seen.length == 0) {
            return "no stages seen";
        }
        Arrays.sort(seen, (a, b) -> Long.compare(feedMillis[b] - sentMillis[b], feedMillis[a] - sentMillis[a]));
        int n = Math.max(1, seen.length / 100);
        double processing = 0, toTopic = 0, toFeed = 0;
        for (int k = 0; k < n; k++) {
            int i = seen[k];
            processing += processedMillis[i] - sentMillis[i];
            toTopic += onTopicMillis[i] - processedMillis[i];
            toFeed += feedMillis[i] - onTopicMillis[i];
        }
        return String.format("its slowest %d: send to processed %.0f ms, to the topic %.0f ms, to the feed %.0f ms",
                n, processing / n, toTopic / n, toFeed / n);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        reader.join(10_000);
    }
}
