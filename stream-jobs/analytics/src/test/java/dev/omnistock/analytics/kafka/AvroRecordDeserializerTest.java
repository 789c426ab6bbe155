package dev.omnistock.analytics.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnistock.events.StockEvent;
import dev.omnistock.serde.SchemaRegistryUnavailableException;
import dev.omnistock.testsupport.FreePorts;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** A record is a dead letter only when it is bad in itself; a registry that cannot be asked fails the task instead. */
class AvroRecordDeserializerTest {

    /** Wire format naming schema id 4242, which no registry here has. */
    private static final byte[] UNKNOWN_ID = ByteBuffer.allocate(6).put((byte) 0).putInt(4242).put((byte) 2).array();

    private final List<Decoded<String>> out = new ArrayList<>();
    private final Collector<Decoded<String>> collector = new Collector<>() {
        @Override
        public void collect(Decoded<String> record) {
            out.add(record);
        }

        @Override
        public void close() {
        }
    };

    private AvroRecordDeserializer<StockEvent, String> reading(String registryUrl) {
        AvroRecordDeserializer<StockEvent, String> deserializer = new AvroRecordDeserializer<>(StockEvent.class,
                Map.of("schema.registry.url", registryUrl), StockEvent::getSku, null);
        deserializer.open(null);
        return deserializer;
    }

    @Test
    void anUnreachableRegistryFailsTheTaskInsteadOfDeadLetteringTheRecord() {
        // Nothing listens on a port just freed: the registry is "down".
        AvroRecordDeserializer<StockEvent, String> deserializer = reading("http://127.0.0.1:" + FreePorts.one());

        assertThatThrownBy(() -> deserializer.deserialize(new ConsumerRecord<>("stock-movements", 0, 7L, null, UNKNOWN_ID), collector))
                .isInstanceOf(SchemaRegistryUnavailableException.class);
        assertThat(out).isEmpty();
    }

    @Test
    void bytesThatAreNotTheWireFormatAreADeadLetter() {
        AvroRecordDeserializer<StockEvent, String> deserializer = reading("mock://avro-record-deserializer-test");

        deserializer.deserialize(new ConsumerRecord<>("stock-movements", 0, 8L, null, "{\"sku\":1}".getBytes()), collector);

        assertThat(out).singleElement().satisfies(decoded -> {
            assertThat(decoded.value()).isNull();
            assertThat(decoded.deadLetter().offset()).isEqualTo(8L);
        });
    }
}
