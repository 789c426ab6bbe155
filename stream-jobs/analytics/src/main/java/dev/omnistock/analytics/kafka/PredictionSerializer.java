package dev.omnistock.analytics.kafka;

import dev.omnistock.analytics.forecast.StockoutPrediction;
import dev.omnistock.events.InventoryAlert;
import dev.omnistock.serde.AvroSerializer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** A predicted stock-out as an InventoryAlert on the alerts topic, keyed by SKU like every alert. */
public final class PredictionSerializer implements KafkaRecordSerializationSchema<StockoutPrediction> {

    private final String topic;
    private final HashMap<String, Object> registryConfig;
    private transient AvroSerializer<InventoryAlert> avro;

    public PredictionSerializer(String topic, Map<String, ?> registryConfig) {
        this.topic = topic;
        this.registryConfig = new HashMap<>(registryConfig);
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        avro = new AvroSerializer<>();
        avro.configure(registryConfig, false);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(StockoutPrediction prediction, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, prediction.sku().getBytes(StandardCharsets.UTF_8),
                avro.serialize(topic, AvroMapping.alert(prediction)));
    }
}
