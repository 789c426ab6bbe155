package dev.omnistock.inventory.topology;

import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * An input record's value decoded, together with the bytes it was decoded from. A record the rules
 * reject goes to the dead-letter topic as those bytes: encoding the decoded value again would drop the
 * fields of a newer writer schema and register schemas from an error path.
 */
record Read<V>(V value, byte[] bytes) {

    /** Decodes with the topic's value deserializer; writes (as into a repartition topic) the original bytes. */
    static <V> Serde<Read<V>> serde(Serde<V> values) {
        Deserializer<V> decoder = values.deserializer();
        Serializer<Read<V>> writer = (topic, read) -> read == null ? null : read.bytes();
        Deserializer<Read<V>> reader = new Deserializer<>() {
            @Override
            public void configure(Map<String, ?> configs, boolean isKey) {
                decoder.configure(configs, isKey);
            }

            @Override
            public Read<V> deserialize(String topic, byte[] data) {
                return data == null ? null : new Read<>(decoder.deserialize(topic, data), data);
            }

            @Override
            public Read<V> deserialize(String topic, Headers headers, byte[] data) {
                return data == null ? null : new Read<>(decoder.deserialize(topic, headers, data), data);
            }
        };
        return new Serde<>() {
            @Override
            public Serializer<Read<V>> serializer() {
                return writer;
            }

            @Override
            public Deserializer<Read<V>> deserializer() {
                return reader;
            }
        };
    }
}
