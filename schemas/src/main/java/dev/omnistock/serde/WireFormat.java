package dev.omnistock.serde;

import java.nio.ByteBuffer;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Confluent's wire format: magic byte 0, the writer schema's registry id as a 4-byte big-endian int,
 * then the Avro binary encoding of the record.
 */
final class WireFormat {

    static final byte MAGIC_BYTE = 0;
    static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /**
     * The generated class's own model (with its decimal and timestamp conversions), set to let records
     * that have no logical type encode and decode themselves: Avro's generated code for that is much
     * faster than its generic path, and the bytes are the same.
     */
    static SpecificData model(Class<?> recordClass) {
        SpecificData model = SpecificData.getForClass(recordClass);
        model.setCustomCoders(true);
        return model;
    }

    /** Reads the header and leaves the buffer positioned at the Avro payload. */
    static int readSchemaId(String topic, ByteBuffer buffer) {
        if (buffer.remaining() < HEADER_SIZE) {
            throw new SerializationException("Record on " + topic + " has " + buffer.remaining()
                    + " bytes, fewer than the 5-byte Confluent wire-format header");
        }
        byte magic = buffer.get();
        if (magic != MAGIC_BYTE) {
            throw new SerializationException("Record on " + topic + " starts with byte " + magic
                    + ", not the Confluent wire-format magic byte 0: it was not written by a schema-registry Avro serializer");
        }
        return buffer.getInt();
    }
}
