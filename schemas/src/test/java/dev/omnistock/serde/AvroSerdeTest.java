package dev.omnistock.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnistock.events.Channel;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.OrderShipped;
import dev.omnistock.events.ShippedLine;
import dev.omnistock.testdata.SampleEvents;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/** The wire format and schema resolution, on the Confluent client's in-memory mock:// registry. */
class AvroSerdeTest {

    private final Map<String, Object> config = Map.of("schema.registry.url", "mock://" + UUID.randomUUID());
    private final Serde<OrderEvent> serde = AvroSerde.forValues(OrderEvent.class, config);

    @Test
    void roundTripsAnOrderThroughTheWireFormat() {
        OrderEvent order = SampleEvents.orderPlaced("O-1");

        byte[] bytes = serde.serializer().serialize("orders", order);

        assertThat(bytes[0]).isEqualTo((byte) 0);
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        assertThat(id).isEqualTo(SchemaRegistry.connect(config).idOf("orders-value", OrderEvent.getClassSchema()));
        assertThat(serde.deserializer().deserialize("orders", bytes)).isEqualTo(order);
    }

    @Test
    void nullStaysNullForTombstones() {
        assertThat(serde.serializer().serialize("orders", null)).isNull();
        assertThat(serde.deserializer().deserialize("orders", null)).isNull();
    }

    @Test
    void refusesBytesWithoutTheMagicByte() {
        byte[] json = "{\"orderId\":\"O-1\"}".getBytes();

        assertThatThrownBy(() -> serde.deserializer().deserialize("orders", json))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("not the Confluent wire-format magic byte 0");
    }

    @Test
    void refusesAShortRecord() {
        assertThatThrownBy(() -> serde.deserializer().deserialize("orders", new byte[] {0, 0}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("fewer than the 5-byte");
    }

    @Test
    void refusesAnUnknownSchemaId() {
        byte[] bytes = ByteBuffer.allocate(6).put((byte) 0).putInt(4242).put((byte) 0).array();

        assertThatThrownBy(() -> serde.deserializer().deserialize("orders", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("schema id 4242");
    }

    @Test
    void withoutAutoRegisterASchemaMustAlreadyBeRegistered() {
        AvroSerializer<OrderEvent> serializer = new AvroSerializer<>();
        serializer.configure(Map.of("schema.registry.url", "mock://" + UUID.randomUUID(),
                AvroSerializer.AUTO_REGISTER_SCHEMAS, "false"), false);

        assertThatThrownBy(() -> serializer.serialize("orders", SampleEvents.orderPlaced("O-2")))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("orders-value");
    }

    @Test
    void aChannelANewerWriterAddedReadsAsUnknown() throws Exception {
        // A producer on a newer schema version sends channel KIOSK, which this reader does not know.
        Schema newer = new Schema.Parser().parse(OrderEvent.getClassSchema().toString()
                .replace("\"CALL_CENTER\",\"WAREHOUSE\",\"UNKNOWN\"", "\"CALL_CENTER\",\"WAREHOUSE\",\"UNKNOWN\",\"KIOSK\""));
        assertThat(newer.getField("channel").schema().getEnumSymbols()).contains("KIOSK");
        int id = SchemaRegistry.connect(config).register("orders-value", newer);
        GenericRecord record = toGeneric(SampleEvents.orderPlaced("O-3"), newer);
        record.put("channel", new GenericData.EnumSymbol(newer.getField("channel").schema(), "KIOSK"));

        OrderEvent read = serde.deserializer().deserialize("orders", wireFormat(id, record));

        assertThat(read.getChannel()).isEqualTo(Channel.UNKNOWN);
        assertThat(read.getOrderId()).isEqualTo("O-3");
    }

    @Test
    void aShipmentFromANewerWriterWithAFieldInFrontStillReads() throws Exception {
        // OrderShipped and its lines decode through Avro's generated code: a writer whose fields come in
        // another order, with one this reader does not know, must still resolve.
        OrderEvent shipped = OrderEvent.newBuilder(SampleEvents.orderPlaced("O-4"))
                .setPayload(new OrderShipped("SH-4", "DC-EAST", List.of(new ShippedLine("1", "SKU-TSHIRT-M-BLUE", 2)), "DHL", null))
                .build();
        String json = OrderEvent.getClassSchema().toString();
        int fields = json.indexOf("\"fields\":[", json.indexOf("\"name\":\"OrderShipped\"")) + "\"fields\":[".length();
        Schema newer = new Schema.Parser().parse(json.substring(0, fields)
                + "{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}," + json.substring(fields));
        Schema newerShipment = newer.getField("payload").schema().getTypes().stream()
                .filter(t -> t.getName().equals("OrderShipped")).findFirst().orElseThrow();
        assertThat(newerShipment.getFields().get(0).name()).isEqualTo("note");
        int id = SchemaRegistry.connect(config).register("orders-value", newer);
        GenericRecord record = toGeneric(shipped, newer);
        ((GenericRecord) record.get("payload")).put("note", "left at the door");

        OrderEvent read = serde.deserializer().deserialize("orders", wireFormat(id, record));

        assertThat(read).isEqualTo(shipped);
    }

    private static GenericRecord toGeneric(OrderEvent event, Schema schema) throws Exception {
        // Re-read the specific record's bytes as a generic record of the newer (superset) schema.
        byte[] specific = AvroSerde.forValues(OrderEvent.class, Map.of("schema.registry.url", "mock://" + UUID.randomUUID()))
                .serializer().serialize("t", event);
        var reader = new org.apache.avro.generic.GenericDatumReader<GenericRecord>(OrderEvent.getClassSchema(), schema);
        return reader.read(null, org.apache.avro.io.DecoderFactory.get().binaryDecoder(specific, 5, specific.length - 5, null));
    }

    private static byte[] wireFormat(int id, GenericRecord record) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
