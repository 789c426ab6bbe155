package dev.omnistock.faults;

import dev.omnistock.serde.SchemaRegistry;
import dev.omnistock.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Records bad in themselves, written straight to the input topics as a misbehaving producer would:
 * bytes that are not the wire format, a schema id no registry has, and a record of a schema that
 * cannot be read as the topic's (registered under a subject of its own). Each must end in the
 * dead-letter topic with its reason; the suite knows them by where they were written.
 */
final class BadRecords implements AutoCloseable {

    /** Where one was written: its dead letter names the same. */
    record Origin(String topic, int partition, long offset) {
    }

    private final Topics topics;
    private final KafkaProducer<byte[], byte[]> producer;
    private final SchemaRegistry registry;
    private final Set<Origin> sent = ConcurrentHashMap.newKeySet();
    private int batch;

    BadRecords(Map<String, String> shared, Topics topics) {
        this.topics = topics;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, shared.get("KAFKA_BOOTSTRAP_SERVERS"),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000),
                new ByteArraySerializer(), new ByteArraySerializer());
        this.registry = SchemaRegistry.connect(Map.of("schema.registry.url", shared.get("SCHEMA_REGISTRY_URL")));
    }

    void send() throws Exception {
        batch++;
        Schema unrelated = SchemaBuilder.record("Unrelated").namespace("dev.omnistock.faults").fields()
                .requiredInt("x").endRecord();
        int unrelatedId = registry.register("omnistock-faults-unrelated-value", unrelated);
        GenericRecord record = new GenericData.Record(unrelated);
        record.put("x", 7);
        List<byte[]> values = List.of(
                "{\"not\": \"avro\"}".getBytes(StandardCharsets.UTF_8),
                wire(987_654, new byte[] {2, 4, 6}),
                wire(unrelatedId, avro(unrelated, record)));
        for (String topic : List.of(topics.orders().name(), topics.stockMovements().name())) {
            for (int i = 0; i < values.size(); i++) {
                byte[] key = ("BAD-" + batch + "-" + i).getBytes(StandardCharsets.UTF_8);
                RecordMetadata metadata = producer.send(new ProducerRecord<>(topic, key, values.get(i))).get();
                sent.add(new Origin(metadata.topic(), metadata.partition(), metadata.offset()));
            }
        }
    }

    Set<Origin> sent() {
        return Set.copyOf(sent);
    }

    private static byte[] wire(int schemaId, byte[] avro) {
        return ByteBuffer.allocate(5 + avro.length).put((byte) 0).putInt(schemaId).put(avro).array();
    }

    private static byte[] avro(Schema schema, GenericRecord record) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    @Override
    public void close() {
        producer.close();
    }
}
