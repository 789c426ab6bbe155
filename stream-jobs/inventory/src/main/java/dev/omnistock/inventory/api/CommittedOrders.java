package dev.omnistock.inventory.api;

import dev.omnistock.config.KafkaConnection;
import dev.omnistock.events.OrderStatusChanged;
import dev.omnistock.serde.SchemaRegistryUnavailableException;
import dev.omnistock.topics.TopicSpec;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which order changes have committed, for GET /v1/orders/{orderId}: the order store holds changes as
 * processed, and a change whose transaction then aborts (an expiry decided by the wall clock, say) is
 * taken back and its sequence number reused. This reads order-status {@code read_committed} on every
 * partition and keeps, per order, the last committed sequence of the changes made within
 * {@link #WINDOW}; the lookup shows an order as of that change.
 *
 * <p>A change older than the window is settled: a transaction commits or aborts within a few commit
 * intervals, and an instance whose transaction aborted wipes and restores its stores. So only the
 * window's changes are kept, which bounds the memory, and the reader starts a window back (by the
 * records' timestamps, which are the changes' times), so it knows every change the window holds.
 */
final class CommittedOrders implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CommittedOrders.class);

    /** Well beyond a transaction's life, including a stuck instance's retries before it gives up its tasks. */
    static final Duration WINDOW = Duration.ofMinutes(5);

    private record Committed(long sequence, long atMillis) {
    }

    /** In the order the commits were read, which is nearly the changes' order: the oldest leave first. */
    private final LinkedHashMap<String, Committed> lastCommitted = new LinkedHashMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<OrderStatusChanged> values;
    private final TopicReaderThread reader;

    CommittedOrders(KafkaConnection kafka, TopicSpec<String, OrderStatusChanged> orderStatus) {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(orderStatus.name()).stream()
                .map(p -> new TopicPartition(orderStatus.name(), p.partition())).toList();
        consumer.assign(partitions);
        long from = System.currentTimeMillis() - WINDOW.toMillis();
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(p -> times.put(p, from));
        Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(times);
        consumer.seekToEnd(partitions); // where no change is as recent
        starts.forEach((partition, start) -> {
            if (start != null) {
                consumer.seek(partition, start.offset());
            }
        });
        partitions.forEach(consumer::position); // resolves the seeks now, not at the first poll
        this.values = orderStatus.valueSerde().deserializer();
        this.reader = new TopicReaderThread("order-status-committed", "committed order changes", consumer, this::pollOnce);
    }

    /** The last committed change of the order made within the window; 0 when none. */
    long lastCommitted(String orderId) {
        synchronized (lastCommitted) {
            Committed committed = lastCommitted.get(orderId);
            return committed == null ? 0 : committed.sequence();
        }
    }

    /** A change made before this instant (epoch millis) has committed, or been taken back with its store. */
    long settledBefore() {
        return System.currentTimeMillis() - WINDOW.toMillis();
    }

    /** False once the reader has stopped for good (only on close). */
    boolean running() {
        return reader.running();
    }

    private void pollOnce() {
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                if (record.value() == null) {
                    continue;
                }
                OrderStatusChanged change;
                try {
                    change = values.deserialize(record.topic(), record.headers(), record.value());
                } catch (SchemaRegistryUnavailableException e) {
                    rewind(records);
                    throw e;
                } catch (RuntimeException e) {
                    log.warn("Skipped an order change it cannot read (partition {} offset {}): {}", record.partition(), record.offset(),
                            e.getMessage());
                    continue;
                }
                synchronized (lastCommitted) {
                    lastCommitted.remove(record.key()); // to the end of the order
                    lastCommitted.put(record.key(), new Committed(change.getSequence(), change.getChangedAt().toEpochMilli()));
                }
            }
        }
        forgetSettled();
    }

    /** Reads the whole poll again once the registry answers: applying a change twice leaves the same. */
    private void rewind(ConsumerRecords<String, byte[]> records) {
        records.partitions().forEach(partition -> consumer.seek(partition, records.records(partition).get(0).offset()));
    }

    private void forgetSettled() {
        long settled = settledBefore();
        synchronized (lastCommitted) {
            Iterator<Committed> oldest = lastCommitted.values().iterator();
            while (oldest.hasNext() && oldest.next().atMillis() < settled) {
                oldest.remove();
            }
        }
    }

    @Override
    public void close() {
        reader.close();
    }
}
