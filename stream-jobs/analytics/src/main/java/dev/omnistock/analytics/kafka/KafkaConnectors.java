package dev.omnistock.analytics.kafka;

import dev.omnistock.analytics.fulfilment.OrderStatusRow;
import dev.omnistock.analytics.notify.DeliveryAttemptRow;
import dev.omnistock.events.NotificationAttempt;
import dev.omnistock.events.OrderStatusChanged;
import dev.omnistock.analytics.alerts.AlertRow;
import dev.omnistock.analytics.demand.OrderActivity;
import dev.omnistock.analytics.forecast.LeadTimeSetting;
import dev.omnistock.analytics.forecast.StockoutPrediction;
import dev.omnistock.analytics.timeline.PositionSnapshot;
import dev.omnistock.config.KafkaConnection;
import dev.omnistock.events.InventoryAlert;
import dev.omnistock.events.InventoryPosition;
import dev.omnistock.events.InventorySettings;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.topics.TopicSpec;
import dev.omnistock.topics.Topics;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** The job's Kafka sources and sinks, on the topics of {@link Topics}. */
public final class KafkaConnectors {

    private final KafkaConnection kafka;
    private final Map<String, Object> registryConfig;
    private final Topics topics;
    private final String groupId;

    public KafkaConnectors(KafkaConnection kafka, Map<String, Object> registryConfig, Topics topics, String groupId) {
        this.kafka = kafka;
        this.registryConfig = registryConfig;
        this.topics = topics;
        this.groupId = groupId;
    }

    public KafkaSource<Decoded<OrderActivity>> orders() {
        return source(topics.orders(), OrderEvent.class, AvroMapping::orderActivity,
                TypeInformation.of(new TypeHint<Decoded<OrderActivity>>() { }));
    }

    public KafkaSource<Decoded<PositionSnapshot>> positions() {
        return source(topics.inventoryAvailability(), InventoryPosition.class, AvroMapping::position,
                TypeInformation.of(new TypeHint<Decoded<PositionSnapshot>>() { }));
    }

    public KafkaSource<Decoded<AlertRow>> alerts() {
        return source(topics.inventoryAlerts(), InventoryAlert.class, AvroMapping::alertRow,
                TypeInformation.of(new TypeHint<Decoded<AlertRow>>() { }));
    }

    public KafkaSource<Decoded<LeadTimeSetting>> settings() {
        return source(topics.inventorySettings(), InventorySettings.class, AvroMapping::leadTime,
                TypeInformation.of(new TypeHint<Decoded<LeadTimeSetting>>() { }));
    }

    public KafkaSource<Decoded<OrderStatusRow>> orderStatus() {
        return source(topics.orderStatus(), OrderStatusChanged.class, AvroMapping::orderStatus,
                TypeInformation.of(new TypeHint<Decoded<OrderStatusRow>>() { }));
    }

    public KafkaSource<Decoded<DeliveryAttemptRow>> deliveryAttempts() {
        return source(topics.notificationAttempts(), NotificationAttempt.class, AvroMapping::deliveryAttempt,
                TypeInformation.of(new TypeHint<Decoded<DeliveryAttemptRow>>() { }));
    }

    /** Predicted stock-outs onto the alerts topic, in Kafka transactions committed with each checkpoint. */
    public KafkaSink<StockoutPrediction> predictions() {
        return sink(new PredictionSerializer(topics.inventoryAlerts().name(), registryConfig), groupId + "-predictions");
    }

    public KafkaSink<DeadLetter> deadLetters() {
        return sink(new DeadLetterSerializer(topics.deadLetters().name()), groupId + "-dead-letters");
    }

    private <A extends SpecificRecord, T> KafkaSource<Decoded<T>> source(
            TopicSpec<String, A> topic, Class<A> avroType, SerializableFunction<A, T> mapping, TypeInformation<Decoded<T>> type) {
        return KafkaSource.<Decoded<T>>builder()
                .setProperties(clientProperties())
                .setTopics(topic.name())
                .setGroupId(groupId)
                // The job's own position lives in its checkpoints; committed offsets only serve a first start.
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                // The inventory service writes in transactions: read only what it committed.
                .setProperty("isolation.level", "read_committed")
                .setDeserializer(new AvroRecordDeserializer<>(avroType, registryConfig, mapping, type))
                .build();
    }

    private <T> KafkaSink<T> sink(KafkaRecordSerializationSchema<T> serializer, String transactionalIdPrefix) {
        Properties producer = clientProperties();
        // Must not exceed the broker's transaction.max.timeout.ms (15 minutes by default).
        producer.setProperty("transaction.timeout.ms", "900000");
        return KafkaSink.<T>builder()
                .setKafkaProducerConfig(producer)
                .setBootstrapServers(kafka.bootstrapServers())
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .build();
    }

    private Properties clientProperties() {
        Properties properties = new Properties();
        properties.putAll(kafka.clientProperties());
        return properties;
    }
}
