package dev.omnistock.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnistock.config.KafkaConnection;
import dev.omnistock.config.SchemaRegistryConnection;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.testdata.SampleEvents;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An order-placed event through plain Kafka clients configured by class name (as any producer or
 * Flink's KafkaSource/KafkaSink configure them) against the real broker and the real registry.
 */
@ExtendWith(RealStackExtension.class)
class OrderEventRoundTripIT {

    @Test
    void anOrderPlacedEventIsRegisteredProducedAndConsumedBackEqual(RealStack stack, TestNamespace ns) throws Exception {
        String topic = ns.createTopics(3, "orders").get(0);
        OrderEvent order = SampleEvents.orderPlaced("O-1001");
        Map<String, Object> registryConfig = SchemaRegistryConnection.at(stack.schemaRegistryUrl()).serdeConfig();

        Map<String, Object> producerConfig = new HashMap<>(KafkaConnection.plaintext(stack.kafkaBootstrapServers()).clientProperties());
        producerConfig.putAll(registryConfig);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class);
        RecordMetadata written;
        try (KafkaProducer<String, OrderEvent> producer = new KafkaProducer<>(producerConfig)) {
            written = producer.send(new ProducerRecord<>(topic, order.getOrderId(), order)).get();
        }

        // The schema is in the real registry under the topic-name strategy's subject.
        SchemaRegistry registry = SchemaRegistry.connect(registryConfig);
        assertThat(registry.latestSchema(topic + "-value")).isEqualTo(OrderEvent.getClassSchema());
        int registeredId = registry.idOf(topic + "-value", OrderEvent.getClassSchema());

        Map<String, Object> consumerConfig = new HashMap<>(KafkaConnection.plaintext(stack.kafkaBootstrapServers()).clientProperties());
        consumerConfig.putAll(registryConfig);
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, ns.topic("round-trip"));
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroDeserializer.class);
        consumerConfig.put(AvroDeserializer.SPECIFIC_TYPE, OrderEvent.class.getName());
        List<ConsumerRecord<String, OrderEvent>> read = pollUntil(consumerConfig, topic, 1);
        assertThat(read).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("O-1001");
            assertThat(r.value()).isEqualTo(order);
            assertThat(r.partition()).isEqualTo(written.partition());
        });

        // On the wire: magic byte 0, then the registry's id of the schema.
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, ns.topic("raw"));
        consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<ConsumerRecord<String, byte[]>> raw = pollUntil(consumerConfig, topic, 1);
        ByteBuffer bytes = ByteBuffer.wrap(raw.get(0).value());
        assertThat(bytes.get()).isEqualTo((byte) 0);
        assertThat(bytes.getInt()).isEqualTo(registeredId);
    }

    private static <V> List<ConsumerRecord<String, V>> pollUntil(Map<String, Object> config, String topic, int count) {
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        assertThat(records).as("records read from %s within 30 s", topic).hasSize(count);
        return records;
    }

    @Test
    void aSchemaIdTheRegistryDoesNotKnowIsTheRecordsFaultAndAnUnreachableRegistryIsNot(RealStack stack) {
        byte[] unknownId = java.nio.ByteBuffer.allocate(6).put((byte) 0).putInt(987_654).put((byte) 2).array();
        AvroDeserializer<OrderEvent> known = new AvroDeserializer<>(
                SchemaRegistry.connect(SchemaRegistryConnection.at(stack.schemaRegistryUrl()).serdeConfig()), OrderEvent.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> known.deserialize("orders", unknownId))
                .isInstanceOf(org.apache.kafka.common.errors.SerializationException.class)
                .hasMessageContaining("does not know");

        AvroDeserializer<OrderEvent> unreachable = new AvroDeserializer<>(SchemaRegistry.connect(
                SchemaRegistryConnection.at("http://127.0.0.1:" + dev.omnistock.testsupport.FreePorts.one()).serdeConfig()), OrderEvent.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> unreachable.deserialize("orders", unknownId))
                .isInstanceOf(SchemaRegistryUnavailableException.class);
    }
}
