package dev.omnistock.inventory.topology;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import com.fasterxml.jackson.dataformat.smile.SmileGenerator;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * State-store values (the domain's own objects) in Smile, Jackson's binary JSON, read and written field
 * by field so that the domain classes need no annotations. Smile names each field once per value and
 * reads about a third faster than JSON; like JSON it tolerates fields added or removed between
 * versions. Values written as JSON by earlier versions are still read. Stores are private to this
 * service; topics use Avro.
 */
final class StoreValueSerde {

    /**
     * Short string values that repeat within a value (an order's SKUs, line ids and locations, in every
     * change of its timeline) are written once and referred back to: a fifth less for a shipped order.
     * Smile's header flags it, and every Smile reader follows the references.
     */
    private static final ObjectMapper SMILE = fieldsOnly(new ObjectMapper(
            SmileFactory.builder().enable(SmileGenerator.Feature.CHECK_SHARED_STRING_VALUES).build()));
    private static final ObjectMapper JSON = fieldsOnly(new ObjectMapper());

    private StoreValueSerde() {
    }

    static <T> Serde<T> of(Class<T> type) {
        return Serdes.serdeFrom(
                (topic, value) -> {
                    try {
                        return value == null ? null : SMILE.writeValueAsBytes(value);
                    } catch (IOException e) {
                        throw new SerializationException("Could not write " + type.getSimpleName() + " to the state store", e);
                    }
                },
                (topic, bytes) -> {
                    try {
                        return bytes == null ? null : mapperFor(bytes).readValue(bytes, type);
                    } catch (IOException e) {
                        throw new SerializationException("Could not read " + type.getSimpleName() + " from the state store", e);
                    }
                });
    }

    /** Smile values start with its header ":)\n"; a JSON object or array with '{' or '['. */
    private static ObjectMapper mapperFor(byte[] bytes) {
        return bytes.length > 0 && (bytes[0] == '{' || bytes[0] == '[') ? JSON : SMILE;
    }

    private static ObjectMapper fieldsOnly(ObjectMapper mapper) {
        return mapper.setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
                .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }
}
