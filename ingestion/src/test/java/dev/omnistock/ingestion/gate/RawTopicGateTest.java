package dev.omnistock.ingestion.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnistock.config.Config;
import dev.omnistock.events.Channel;
import dev.omnistock.events.CountType;
import dev.omnistock.events.FulfillmentMethod;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.OrderLine;
import dev.omnistock.events.OrderPlaced;
import dev.omnistock.events.StockCounted;
import dev.omnistock.events.StockEvent;
import dev.omnistock.topics.DeadLetterHeaders;
import dev.omnistock.topics.Topics;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RawTopicGateTest {

    private TopologyTestDriver driver;
    private Topics topics;
    private TestInputTopic<byte[], byte[]> rawStock;
    private TestInputTopic<byte[], byte[]> rawOrders;
    private TestOutputTopic<byte[], byte[]> stock;
    private TestOutputTopic<byte[], byte[]> orders;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    @BeforeEach
    void start() {
        topics = Topics.from(Config.of(Map.of("SCHEMA_REGISTRY_URL", "mock://" + UUID.randomUUID())));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "gate-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(new RawTopicGate(topics).build(), props);
        var bytes = Serdes.ByteArray();
        rawStock = driver.createInputTopic(topics.rawStockMovements().name(), bytes.serializer(), bytes.serializer());
        rawOrders = driver.createInputTopic(topics.rawOrders().name(), bytes.serializer(), bytes.serializer());
        stock = driver.createOutputTopic(topics.stockMovements().name(), bytes.deserializer(), bytes.deserializer());
        orders = driver.createOutputTopic(topics.orders().name(), bytes.deserializer(), bytes.deserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetters().name(), bytes.deserializer(), bytes.deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private byte[] wire(StockEvent event) {
        return topics.stockMovements().valueSerde().serializer().serialize(topics.rawStockMovements().name(), event);
    }

    private static StockEvent count(String sku, int onHand) {
        return StockEvent.newBuilder().setEventId(UUID.randomUUID()).setEventTime(Instant.now()).setChannel(Channel.WAREHOUSE)
                .setSourceSystem("wms").setSku(sku).setLocationId("DC").setPayload(new StockCounted(onHand, CountType.WMS_SNAPSHOT)).build();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void aValidEventGoesOnWithItsBytesUnchanged() {
        byte[] value = wire(count("SKU-1", 5));
        rawStock.pipeInput(utf8("SKU-1"), value);

        TestRecord<byte[], byte[]> forwarded = stock.readRecord();
        assertThat(forwarded.value()).isEqualTo(value);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void anUndecodableRecordIsDeadLetteredWithItsOrigin() {
        rawStock.pipeInput(utf8("SKU-1"), utf8("{\"sku\":\"SKU-1\"}"));

        TestRecord<byte[], byte[]> letter = deadLetters.readRecord();
        assertThat(letter.value()).isEqualTo(utf8("{\"sku\":\"SKU-1\"}"));
        assertThat(header(letter, DeadLetterHeaders.EXCEPTION)).endsWith("SerializationException");
        assertThat(header(letter, DeadLetterHeaders.MESSAGE)).contains("magic byte");
        assertThat(header(letter, DeadLetterHeaders.TOPIC)).isEqualTo(topics.rawStockMovements().name());
        assertThat(header(letter, DeadLetterHeaders.OFFSET)).isEqualTo("0");
        assertThat(stock.isEmpty()).isTrue();
    }

    @Test
    void anImpossibleEventIsDeadLetteredWithTheRule() {
        rawStock.pipeInput(utf8("SKU-1"), wire(count("SKU-1", -2)));
        rawStock.pipeInput(utf8("SKU-OTHER"), wire(count("SKU-1", 3)));

        List<TestRecord<byte[], byte[]>> letters = deadLetters.readRecordsToList();
        assertThat(letters).extracting(l -> header(l, DeadLetterHeaders.MESSAGE))
                .containsExactly("a count cannot be negative: -2", "record key 'SKU-OTHER' is not the SKU 'SKU-1'");
        assertThat(letters).allSatisfy(l -> assertThat(header(l, DeadLetterHeaders.EXCEPTION)).isEqualTo(DeadLetterHeaders.REJECTED_BY_RULE));
        assertThat(stock.isEmpty()).isTrue();
    }

    @Test
    void idsTheServicesCouldNotLookUpAreDeadLettered() {
        rawStock.pipeInput(utf8("SKU/1"), wire(count("SKU/1", 3)));
        OrderEvent slashed = OrderEvent.newBuilder().setEventId(UUID.randomUUID()).setEventTime(Instant.now()).setChannel(Channel.WEB)
                .setSourceSystem("shop").setOrderId("O/1").setPayload(OrderPlaced.newBuilder().setCurrency("EUR")
                        .setLines(List.of(new OrderLine("1", "SKU-1", 1, new BigDecimal("1.0000"))))
                        .setFulfillmentMethod(FulfillmentMethod.SHIP_TO_HOME).build()).build();
        rawOrders.pipeInput(utf8("O/1"), topics.orders().valueSerde().serializer().serialize(topics.rawOrders().name(), slashed));

        assertThat(deadLetters.readRecordsToList()).extracting(l -> header(l, DeadLetterHeaders.MESSAGE)).containsExactlyInAnyOrder(
                "sku 'SKU/1' is not an id: 1 to 100 letters, digits and . _ : -, starting with a letter or digit",
                "orderId 'O/1' is not an id: 1 to 100 letters, digits and . _ : -, starting with a letter or digit");
        assertThat(stock.isEmpty()).isTrue();
        assertThat(orders.isEmpty()).isTrue();
    }

    @Test
    void ordersAreCheckedToo() {
        OrderEvent empty = OrderEvent.newBuilder().setEventId(UUID.randomUUID()).setEventTime(Instant.now()).setChannel(Channel.WEB)
                .setSourceSystem("shop").setOrderId("O-1").setPayload(OrderPlaced.newBuilder().setCurrency("EUR").setLines(List.of())
                        .setFulfillmentMethod(FulfillmentMethod.SHIP_TO_HOME).build()).build();
        OrderEvent good = OrderEvent.newBuilder(empty).setOrderId("O-2").setPayload(OrderPlaced.newBuilder().setCurrency("EUR")
                .setLines(List.of(new OrderLine("1", "SKU-1", 1, new BigDecimal("1.0000"))))
                .setFulfillmentMethod(FulfillmentMethod.SHIP_TO_HOME).build()).build();
        var serializer = topics.orders().valueSerde().serializer();
        rawOrders.pipeInput(utf8("O-1"), serializer.serialize(topics.rawOrders().name(), empty));
        rawOrders.pipeInput(utf8("O-2"), serializer.serialize(topics.rawOrders().name(), good));

        assertThat(header(deadLetters.readRecord(), DeadLetterHeaders.MESSAGE)).isEqualTo("the order has no lines");
        assertThat(new String(orders.readRecord().key(), StandardCharsets.UTF_8)).isEqualTo("O-2");
    }
}
