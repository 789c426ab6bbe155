package dev.omnistock.serde;

import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Confluent wire-format Avro as a Kafka Streams {@link Serde}, configured once for one registry. */
public final class AvroSerde<T extends SpecificRecord> extends Serdes.WrapperSerde<T> {

    private AvroSerde(AvroSerializer<T> serializer, AvroDeserializer<T> deserializer) {
        super(serializer, deserializer);
    }

    /** A value serde for {@code type}, talking to the registry that {@code registryConfig} names. */
    public static <T extends SpecificRecord> Serde<T> forValues(Class<T> type, Map<String, ?> registryConfig) {
        SchemaRegistry registry = SchemaRegistry.connect(registryConfig);
        Object auto = registryConfig.get(AvroSerializer.AUTO_REGISTER_SCHEMAS);
        boolean autoRegister = auto == null || Boolean.parseBoolean(String.valueOf(auto));
        return new AvroSerde<>(new AvroSerializer<>(registry, false, autoRegister), new AvroDeserializer<>(registry, type));
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // Built configured by forValues(); Kafka Streams does not configure serdes handed to it.
    }
}
