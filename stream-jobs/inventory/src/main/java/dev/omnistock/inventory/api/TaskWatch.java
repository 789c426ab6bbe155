package dev.omnistock.inventory.api;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches this instance's Kafka Streams tasks for {@link FreshCopies}, so that plain lookups are answered also while the
 * threads rebalance, from the copies of active tasks that go on running. It hears each thread's rebalance callbacks
 * before Kafka Streams acts on them (its main consumers are built here, the listener wrapped) and every restore.
 */
public final class TaskWatch implements KafkaClientSupplier, StateRestoreListener {

    private static final Logger log = LoggerFactory.getLogger(TaskWatch.class);

    private final Topology topology;
    private final FreshCopies copies;
    private volatile KafkaStreams streams;
    /** A main consumer subscribed through {@link #getConsumer}, so its rebalance callbacks reach the watch. */
    private volatile boolean watching;

    public TaskWatch(Topology topology) {
        this.topology = topology;
        Map<String, Integer> subtopologyOfStore = new HashMap<>();
        for (TopologyDescription.Subtopology subtopology : topology.describe().subtopologies()) {
            for (TopologyDescription.Node node : subtopology.nodes()) {
                if (node instanceof TopologyDescription.Processor processor) {
                    processor.stores().forEach(store -> subtopologyOfStore.put(store, subtopology.id()));
                }
            }
        }
        this.copies = new FreshCopies(subtopologyOfStore);
    }

    /** The topology's Kafka Streams, watched (before it starts). */
    public KafkaStreams streams(Properties properties) {
        KafkaStreams created = new KafkaStreams(topology, properties, this);
        created.setGlobalStateRestoreListener(this);
        streams = created;
        return created;
    }

    /**
     * Reads a partition of a store from this instance's copy if it is fresh; empty if it is not, or stopped being
     * fresh while it was read (the read is then not to be trusted, and is tried again), or if a key read is absent.
     * Absent is not trusted: a task whose state was found corrupt is reopened empty and rebuilt, and between its
     * reopening and the start of its restore nothing here hears of it; an empty copy must not say "unknown".
     */
    <V, R> Optional<R> readFresh(StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> query, String store, int partition,
            Function<ReadOnlyKeyValueStore<String, V>, R> read) {
        if (!watching) {
            // The main consumers were not built here (another group protocol builds its own): no callback is heard.
            return Optional.empty();
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            long before = copies.changes();
            if (!copies.fresh(store, partition, threads())) {
                return Optional.empty();
            }
            try {
                // Stale stores enabled: Kafka Streams serves no plain query while the thread rebalances; this copy is fresh.
                R result = read.apply(new PresentOnly<>(streams.store(query.enableStaleStores())));
                if (copies.changes() == before) {
                    return Optional.of(result);
                }
            } catch (InvalidStateStoreException | AbsentInFreshCopy e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * Kafka Streams' own plain read, refused (empty) while the partition restores into an active task here: Kafka Streams
     * serves plain reads of an active task that restores while its thread runs (one whose state was found corrupt,
     * reopened and rebuilt), which would answer an older position, or "unknown", as current.
     *
     * @throws InvalidStateStoreException when Kafka Streams refuses the read (its thread rebalancing, the task elsewhere)
     */
    <V, R> Optional<R> readRunning(StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> query, String store, int partition,
            Function<ReadOnlyKeyValueStore<String, V>, R> read) {
        long before = copies.changes();
        if (copies.restoring(store, partition)) {
            return Optional.empty();
        }
        R result = read.apply(streams.store(query));
        return copies.changes() == before ? Optional.of(result) : Optional.empty();
    }

    /** A key the fresh read found absent. */
    private static final class AbsentInFreshCopy extends RuntimeException {
        AbsentInFreshCopy() {
            super(null, null, false, false);
        }
    }

    /** A store answering keys that are there; an absent one ends the read (lookups read keys only). */
    private record PresentOnly<V>(ReadOnlyKeyValueStore<String, V> store) implements ReadOnlyKeyValueStore<String, V> {

        @Override
        public V get(String key) {
            V value = store.get(key);
            if (value == null) {
                throw new AbsentInFreshCopy();
            }
            return value;
        }

        @Override
        public KeyValueIterator<String, V> range(String from, String to) {
            throw new UnsupportedOperationException("a fresh read reads keys only");
        }

        @Override
        public KeyValueIterator<String, V> all() {
            throw new UnsupportedOperationException("a fresh read reads keys only");
        }

        @Override
        public long approximateNumEntries() {
            return store.approximateNumEntries();
        }
    }

    private List<FreshCopies.ThreadTasks> threads() {
        return streams.metadataForLocalThreads().stream().map(TaskWatch::tasksOf).toList();
    }

    private static FreshCopies.ThreadTasks tasksOf(ThreadMetadata thread) {
        Map<FreshCopies.Task, Set<FreshCopies.Input>> active = new HashMap<>();
        thread.activeTasks().forEach(task -> active.put(new FreshCopies.Task(task.taskId().subtopology(), task.taskId().partition()),
                inputs(task.topicPartitions())));
        return new FreshCopies.ThreadTasks(thread.threadName(), thread, active);
    }

    private static Set<FreshCopies.Input> inputs(Collection<TopicPartition> partitions) {
        return partitions.stream().map(p -> new FreshCopies.Input(p.topic(), p.partition())).collect(Collectors.toSet());
    }

    /**
     * Withdraws tasks from the calling stream thread's view (the callbacks come on it); every task of every thread
     * if that thread is not found.
     */
    private void withdraw(java.util.function.Consumer<FreshCopies.ThreadTasks> fromCaller) {
        List<FreshCopies.ThreadTasks> all = threads();
        String name = Thread.currentThread().getName();
        all.stream().filter(t -> t.thread().equals(name)).findFirst().ifPresentOrElse(fromCaller, () -> all.forEach(copies::lost));
    }

    @Override
    public void onRestoreStart(TopicPartition changelog, String store, long startingOffset, long endingOffset) {
        copies.restoreStarted(store, changelog.partition());
    }

    @Override
    public void onBatchRestored(TopicPartition changelog, String store, long batchEndOffset, long numRestored) {
    }

    @Override
    public void onRestoreEnd(TopicPartition changelog, String store, long totalRestored) {
        copies.restoreEnded(store, changelog.partition());
    }

    @Override
    public void onRestoreSuspended(TopicPartition changelog, String store, long totalRestored) {
        copies.restoreSuspended(store, changelog.partition(), threads());
    }

    @Override
    public Admin getAdmin(Map<String, Object> config) {
        return Admin.create(config);
    }

    @Override
    public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The main consumer: one per stream thread, which subscribes with the rebalance listener this wraps. */
    @Override
    public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()) {
            @Override
            public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
                watching = true;
                super.subscribe(topics, watched(listener));
            }

            @Override
            public void subscribe(Pattern pattern, ConsumerRebalanceListener listener) {
                watching = true;
                super.subscribe(pattern, watched(listener));
            }
        };
    }

    @Override
    public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Tells the watch first, then Kafka Streams, which suspends or closes the tasks. */
    private ConsumerRebalanceListener watched(ConsumerRebalanceListener streamsListener) {
        return new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                if (!partitions.isEmpty()) {
                    log.info("Partitions {} revoked: their tasks' stores are no longer read as current", partitions);
                    withdraw(calling -> copies.revoked(calling, inputs(partitions)));
                }
                streamsListener.onPartitionsRevoked(partitions);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                log.info("Partitions {} lost: this thread's stores are no longer read as current", partitions);
                withdraw(copies::lost);
                streamsListener.onPartitionsLost(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                streamsListener.onPartitionsAssigned(partitions);
            }
        };
    }
}
