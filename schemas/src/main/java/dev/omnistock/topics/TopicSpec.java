package dev.omnistock.topics;

import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Serde;

/**
 * One topic: its name, key and value serdes, and how it is created.
 *
 * @param valueSchema the Avro schema registered under {@code <name>-value}; empty for raw-bytes topics
 * @param compacted   true for topics holding the latest record per key (cleanup.policy=compact)
 */
public record TopicSpec<K, V>(
        String name,
        Serde<K> keySerde,
        Serde<V> valueSerde,
        Optional<Schema> valueSchema,
        int partitions,
        boolean compacted) {
}
