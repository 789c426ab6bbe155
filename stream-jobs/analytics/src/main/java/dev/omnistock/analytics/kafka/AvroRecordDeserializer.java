package dev.omnistock.analytics.kafka;

import dev.omnistock.serde.AvroDeserializer;
import dev.omnistock.serde.SchemaRegistryUnavailableException;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads Avro records in the Confluent wire format through the schema registry and maps each to what
 * the job works with. A record that does not decode, or does not map, becomes a dead letter instead
 * of failing the job; a registry that cannot be asked fails the task, so that the record is read again. Tombstones (null values, on compacted topics) are skipped.
 */
public final class AvroRecordDeserializer<A extends SpecificRecord, T> implements KafkaRecordDeserializationSchema<Decoded<T>> {

    private final Class<A> avroType;
    private final HashMap<String, Object> registryConfig;
    private final SerializableFunction<A, T> mapping;
    private final TypeInformation<Decoded<T>> producedType;
    private transient AvroDeserializer<A> avro;

    public AvroRecordDeserializer(Class<A> avroType, Map<String, ?> registryConfig, SerializableFunction<A, T> mapping,
                                  TypeInformation<Decoded<T>> producedType) {
        this.avroType = avroType;
        this.registryConfig = new HashMap<>(registryConfig);
        this.mapping = mapping;
        this.producedType = producedType;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        avro = new AvroDeserializer<>(avroType);
        avro.configure(registryConfig, false);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Decoded<T>> out) {
        if (record.value() == null) {
            return;
        }
        T value;
        try {
            value = mapping.apply(avro.deserialize(record.topic(), record.value()));
        } catch (RuntimeException e) {
            if (SchemaRegistryUnavailableException.isTransient(e)) {
                // Not the record's fault: fail the task, which restarts from its last checkpoint and reads it again.
                throw e;
            }
            out.collect(new Decoded<>(null, new DeadLetter(record.topic(), record.partition(), record.offset(),
                    record.key(), record.value(), e.getClass().getName(), String.valueOf(e.getMessage()))));
            return;
        }
        out.collect(new Decoded<>(value, null));
    }

    @Override
    public TypeInformation<Decoded<T>> getProducedType() {
        return producedType;
    }
}
