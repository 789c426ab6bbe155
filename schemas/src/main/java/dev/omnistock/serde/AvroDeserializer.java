package dev.omnistock.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent wire-format Avro into a specific record class, resolving the writer's schema
 * (fetched from the registry by the id in the header) against the class's own schema, so that
 * records written with an older or newer compatible schema still read.
 *
 * <p>A schema id the registry does not know makes the record unreadable ({@link SerializationException});
 * a registry that cannot be asked does not ({@link SchemaRegistryUnavailableException}, to retry).
 *
 * <p>Config: {@code schema.registry.url} and, when built by a Kafka client or Flink from a class
 * name, {@code avro.specific.type} (the record class's full name).
 */
public final class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    public static final String SPECIFIC_TYPE = "avro.specific.type";

    private SchemaRegistry registry;
    private Class<T> type;
    private Schema readerSchema;
    private SpecificData model;
    private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();

    /** Unconfigured: {@link #configure} must name the type with {@code avro.specific.type}. */
    public AvroDeserializer() {
    }

    /** Type known, registry from {@link #configure}. */
    public AvroDeserializer(Class<T> type) {
        setType(type);
    }

    /** Already configured, for code that builds serdes itself (Kafka Streams, tests). */
    public AvroDeserializer(SchemaRegistry registry, Class<T> type) {
        this.registry = registry;
        setType(type);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.registry = SchemaRegistry.connect(configs);
        if (type == null) {
            Object name = configs.get(SPECIFIC_TYPE);
            if (name == null) {
                throw new IllegalArgumentException(SPECIFIC_TYPE + " is not set: name the Avro record class to read into");
            }
            try {
                setType((Class<T>) Class.forName(String.valueOf(name), true, Thread.currentThread().getContextClassLoader()));
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException(SPECIFIC_TYPE + "=" + name + " is not a class on the classpath", e);
            }
        }
    }

    private void setType(Class<T> type) {
        this.type = type;
        this.model = WireFormat.model(type);
        this.readerSchema = model.getSchema(type);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroDeserializer used before configure(): set schema.registry.url");
        }
        ByteBuffer buffer = ByteBuffer.wrap(data);
        int schemaId = WireFormat.readSchemaId(topic, buffer);
        DatumReader<T> reader;
        try {
            reader = readers.computeIfAbsent(schemaId, this::readerFor);
        } catch (SchemaRegistryException e) {
            if (e.httpStatus() == 404) {
                throw new SerializationException("Record on " + topic + " names writer schema id " + schemaId
                        + ", which the registry does not know: " + e.getMessage(), e);
            }
            // Not the record's fault: the caller must read it again once the registry answers.
            throw new SchemaRegistryUnavailableException("Could not read a record on " + topic + ": the schema registry did not give"
                    + " writer schema id " + schemaId + " (" + e.getMessage() + "); retrying once it answers", e);
        }
        try {
            return reader.read(null, DecoderFactory.get().binaryDecoder(
                    data, buffer.position(), buffer.remaining(), null));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Record on " + topic + " with schema id " + schemaId
                    + " does not decode as " + type.getName() + ": " + e.getMessage(), e);
        }
    }

    private DatumReader<T> readerFor(int schemaId) {
        Schema writerSchema = registry.schemaById(schemaId);
        return new SpecificDatumReader<>(writerSchema, readerSchema, model);
    }
}
