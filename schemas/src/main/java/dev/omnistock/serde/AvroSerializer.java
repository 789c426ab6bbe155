package dev.omnistock.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro specific records in the Confluent wire format, registering the record's schema under
 * {@code <topic>-value} (or {@code -key}), the topic-name subject strategy.
 *
 * <p>Config: {@code schema.registry.url} (required), basic auth keys, and {@code auto.register.schemas}
 * (default true; with false the schema must already be registered, as production deployments that
 * register schemas in their release pipeline want).
 */
public final class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";

    private SchemaRegistry registry;
    private boolean isKey;
    private boolean autoRegister = true;
    /** Keyed by subject, then by the record class's schema instance: ids never change once assigned. */
    private final Map<String, Map<Schema, Integer>> ids = new ConcurrentHashMap<>();
    private final Map<Schema, DatumWriter<T>> writers = new ConcurrentHashMap<>();

    /** Unconfigured: Kafka clients call {@link #configure} with their own config. */
    public AvroSerializer() {
    }

    /** Already configured, for code that builds serdes itself (Kafka Streams, tests). */
    public AvroSerializer(SchemaRegistry registry, boolean isKey, boolean autoRegister) {
        this.registry = registry;
        this.isKey = isKey;
        this.autoRegister = autoRegister;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.registry = SchemaRegistry.connect(configs);
        this.isKey = isKey;
        Object auto = configs.get(AUTO_REGISTER_SCHEMAS);
        this.autoRegister = auto == null || Boolean.parseBoolean(String.valueOf(auto));
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null; // a tombstone stays a tombstone
        }
        if (registry == null) {
            throw new IllegalStateException("AvroSerializer used before configure(): set schema.registry.url");
        }
        Schema schema = record.getSchema();
        int id = schemaId(topic, schema);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            out.write(WireFormat.MAGIC_BYTE);
            out.write(ByteBuffer.allocate(4).putInt(id).array());
            // Unbuffered: the byte stream is the buffer, so no 2 KB encoder buffer is allocated per record.
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writerFor(record, schema).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Could not write " + schema.getFullName() + " to " + topic + ": " + e.getMessage(), e);
        }
    }

    private int schemaId(String topic, Schema schema) {
        String subject = Subjects.forTopic(topic, isKey);
        return ids.computeIfAbsent(subject, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(schema, s -> autoRegister ? registry.register(subject, s) : registry.idOf(subject, s));
    }

    private DatumWriter<T> writerFor(T record, Schema schema) {
        // The record's class carries its own SpecificData with the decimal and timestamp conversions.
        return writers.computeIfAbsent(schema, s -> new SpecificDatumWriter<>(s, WireFormat.model(record.getClass())));
    }
}
