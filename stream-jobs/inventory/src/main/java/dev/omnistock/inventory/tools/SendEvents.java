package dev.omnistock.inventory.tools;

import dev.omnistock.config.Config;
import dev.omnistock.config.KafkaConnection;
import dev.omnistock.config.SchemaRegistryConnection;
import dev.omnistock.events.Channel;
import dev.omnistock.events.CountType;
import dev.omnistock.events.FulfillmentMethod;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.OrderLine;
import dev.omnistock.events.OrderPlaced;
import dev.omnistock.events.StockCounted;
import dev.omnistock.events.StockEvent;
import dev.omnistock.serde.AvroSerializer;
import dev.omnistock.topics.Topics;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends one canonical event by hand, to try the service out:
 * <pre>
 *   count SKU LOCATION ON_HAND             a stock count
 *   order ORDER_ID CHANNEL SKU:QTY [...]   an order placed (CHANNEL: WEB, MOBILE_APP, MARKETPLACE, ...)
 * </pre>
 * Connection settings come from the environment, as for the services.
 */
public final class SendEvents {

    private SendEvents() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4 || !(args[0].equals("count") || args[0].equals("order"))) {
            System.err.println("usage: count SKU LOCATION ON_HAND | order ORDER_ID CHANNEL SKU:QTY [SKU:QTY ...]");
            System.exit(2);
        }
        Config config = Config.fromEnvironment();
        Topics topics = Topics.from(config);
        Map<String, Object> props = new HashMap<>(KafkaConnection.from(config).clientProperties());
        props.putAll(SchemaRegistryConnection.from(config).serdeConfig());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class);
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(props)) {
            RecordMetadata written;
            if (args[0].equals("count")) {
                StockEvent event = StockEvent.newBuilder().setEventId(UUID.randomUUID()).setEventTime(Instant.now())
                        .setChannel(Channel.WAREHOUSE).setSourceSystem("send-events").setSku(args[1]).setLocationId(args[2])
                        .setPayload(new StockCounted(Integer.parseInt(args[3]), CountType.CYCLE_COUNT)).build();
                written = producer.send(new ProducerRecord<>(topics.stockMovements().name(), event.getSku(), event)).get();
            } else {
                List<OrderLine> lines = new ArrayList<>();
                for (int i = 3; i < args.length; i++) {
                    String[] skuQty = args[i].split(":");
                    lines.add(new OrderLine(Integer.toString(i - 2), skuQty[0], Integer.parseInt(skuQty[1]), new BigDecimal("10.0000")));
                }
                OrderEvent event = OrderEvent.newBuilder().setEventId(UUID.randomUUID()).setEventTime(Instant.now())
                        .setChannel(Channel.valueOf(args[2])).setSourceSystem("send-events").setOrderId(args[1])
                        .setPayload(OrderPlaced.newBuilder().setCurrency("EUR").setLines(lines)
                                .setFulfillmentMethod(FulfillmentMethod.SHIP_TO_HOME).build()).build();
                written = producer.send(new ProducerRecord<>(topics.orders().name(), event.getOrderId(), event)).get();
            }
            System.out.printf("sent to %s partition %d offset %d%n", written.topic(), written.partition(), written.offset());
        }
    }
}
