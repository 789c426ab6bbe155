package dev.omnistock.topics;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;

/**
 * One topic: its name, key and value serdes, and how it is created.
 *
 * @param valueSchema the Avro schema registered under {@code <name>-value}; empty for raw-bytes topics
 * @param compacted   true for topics holding the latest record per key (cleanup.policy=compact)
 * @param configs     further topic configs it is created with
 */
public record TopicSpec<K, V>(
        String name,
        Serde<K> keySerde,
        Serde<V> valueSerde,
        Optional<Schema> valueSchema,
        int partitions,
        boolean compacted,
        Map<String, String> configs) {

    /** The same topic, created with {@code configs} too. */
    public TopicSpec<K, V> withConfigs(Map<String, String> configs) {
        return new TopicSpec<>(name, keySerde, valueSerde, valueSchema, partitions, compacted, Map.copyOf(configs));
    }

    /**
     * A consumer of every partition of this topic, outside any group, positioned at the end now: for
     * readers that want what happens from here on, each on its own (a live feed on every instance).
     */
    public KafkaConsumer<K, V> consumerFromEnd(Map<String, Object> clientProperties) {
        return consumerFromEnd(clientProperties, valueSerde.deserializer());
    }

    /** The same, with values read by {@code values} (raw bytes, say, for a reader that decodes only some). */
    public <T> KafkaConsumer<K, T> consumerFromEnd(Map<String, Object> clientProperties, Deserializer<T> values) {
        KafkaConsumer<K, T> consumer = new KafkaConsumer<>(clientProperties, keySerde.deserializer(), values);
        List<TopicPartition> partitions = consumer.partitionsFor(name).stream()
                .map(p -> new TopicPartition(name, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolves the lazy seek: the start is fixed now, not at the first poll
        return consumer;
    }
}
