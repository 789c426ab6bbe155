package dev.omnistock.inventory.topology;

import static dev.omnistock.inventory.topology.InventoryEvents.cancelWhole;
import static dev.omnistock.inventory.topology.InventoryEvents.count;
import static dev.omnistock.inventory.topology.InventoryEvents.placed;
import static dev.omnistock.inventory.topology.InventoryEvents.returned;
import static dev.omnistock.inventory.topology.InventoryEvents.shipped;
import static org.assertj.core.api.Assertions.assertThat;

import dev.omnistock.config.Config;
import dev.omnistock.events.Channel;
import dev.omnistock.events.InventoryPosition;
import dev.omnistock.events.KeyRole;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.OrderStatusChanged;
import dev.omnistock.events.StockEvent;
import dev.omnistock.inventory.InventoryConfig;
import dev.omnistock.topics.DeadLetterHeaders;
import dev.omnistock.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whose key may cancel, ship or take returns of an order, through the real topology. */
class OrderAuthorityTopologyTest {

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, StockEvent> stock;
    private TestInputTopic<String, OrderEvent> orders;
    private TestOutputTopic<String, InventoryPosition> availability;
    private TestOutputTopic<String, OrderStatusChanged> statusChanges;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    @BeforeEach
    void start() {
        InventoryConfig config = InventoryConfig.from(Config.of(Map.of("SCHEMA_REGISTRY_URL", "mock://" + UUID.randomUUID(),
                "INVENTORY_STATE_DIR", stateDir.toString())));
        Topics topics = config.topics();
        driver = new TopologyTestDriver(config.topology().build(), config.streamsProperties());
        stock = driver.createInputTopic(topics.stockMovements().name(), Serdes.String().serializer(), topics.stockMovements().valueSerde().serializer());
        orders = driver.createInputTopic(topics.orders().name(), Serdes.String().serializer(), topics.orders().valueSerde().serializer());
        availability = driver.createOutputTopic(topics.inventoryAvailability().name(), Serdes.String().deserializer(),
                topics.inventoryAvailability().valueSerde().deserializer());
        statusChanges = driver.createOutputTopic(topics.orderStatus().name(), Serdes.String().deserializer(), topics.orderStatus().valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetters().name(), Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
        stock.pipeInput("SKU-1", count("SKU-1", "DC-EAST", 10));
        orders.pipeInput("O-mp", placed("O-mp", Channel.MARKETPLACE, "SKU-1:3"));
        availability.readValuesToList();
        statusChanges.readValuesToList();
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    /** The command as the ingestion API sends it: from the key's channel, naming the key's role. */
    private static OrderEvent sentWith(OrderEvent command, Channel channel, KeyRole role) {
        return OrderEvent.newBuilder(command).setChannel(channel).setKeyRole(role).build();
    }

    private void send(OrderEvent event) {
        orders.pipeInput(event.getOrderId(), event);
    }

    private List<String> deadLetterReasons() {
        return deadLetters.readRecordsToList().stream().map(OrderAuthorityTopologyTest::reason).toList();
    }

    private static String reason(TestRecord<byte[], byte[]> letter) {
        return new String(letter.getHeaders().lastHeader(DeadLetterHeaders.MESSAGE).value(), StandardCharsets.UTF_8);
    }

    @Test
    void aWebKeysCancelOfAMarketplaceOrderIsRefusedAndChangesNothing() {
        send(sentWith(cancelWhole("O-mp"), Channel.WEB, KeyRole.CHANNEL));

        assertThat(deadLetterReasons()).containsExactly("refused: a WEB key may not cancel order O-mp, which is a MARKETPLACE order");
        assertThat(statusChanges.isEmpty()).as("the order did not change").isTrue();
        assertThat(availability.isEmpty()).as("no ledger was asked to release anything").isTrue();
    }

    @Test
    void aWebKeysShipmentAndReturnOfAMarketplaceOrderAreRefused() {
        send(sentWith(shipped("O-mp", "DC-EAST", "SKU-1", 1), Channel.WEB, KeyRole.CHANNEL));
        send(sentWith(returned("O-mp", "DC-EAST", "SKU-1", 1, true), Channel.WEB, KeyRole.CHANNEL));

        assertThat(deadLetterReasons()).containsExactly("refused: a WEB key may not ship order O-mp, which is a MARKETPLACE order",
                "refused: a WEB key may not take a return of order O-mp, which is a MARKETPLACE order");
        assertThat(statusChanges.isEmpty()).isTrue();
        assertThat(availability.isEmpty()).isTrue();
    }

    @Test
    void theOrdersOwnChannelCancelsIt() {
        send(sentWith(cancelWhole("O-mp"), Channel.MARKETPLACE, KeyRole.CHANNEL));

        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(statusChanges.readValuesToList()).extracting(c -> c.getStatus().name()).containsExactly("CANCELLED");
        assertThat(availability.readValuesToList()).last().extracting(InventoryPosition::getCommitted).isEqualTo(0);
    }

    @Test
    void aWarehouseShipsEveryChannelsOrdersButCancelsNone() {
        send(sentWith(shipped("O-mp", "DC-EAST", "SKU-1", 3), Channel.WAREHOUSE, KeyRole.WAREHOUSE));
        send(sentWith(cancelWhole("O-mp"), Channel.WAREHOUSE, KeyRole.WAREHOUSE));

        assertThat(availability.readValuesToList()).last().extracting(InventoryPosition::getOnHand).isEqualTo(7);
        assertThat(deadLetterReasons()).singleElement().asString().startsWith("refused: a warehouse's key may not cancel order O-mp");
    }

    @Test
    void anAdminCancelsAnyOrder() {
        send(sentWith(cancelWhole("O-mp"), Channel.UNKNOWN, KeyRole.ADMIN));

        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(statusChanges.readValuesToList()).extracting(c -> c.getStatus().name()).containsExactly("CANCELLED");
    }

    /** A return of an order the service does not know cannot be checked against its channel: a channel's key could add stock at will. */
    @Test
    void aChannelsKeysReturnOfAnUnknownOrderIsRefusedAndBooksNothing() {
        send(sentWith(returned("NEVER-PLACED-1", "DC-EAST", "SKU-1", 50, true), Channel.WEB, KeyRole.CHANNEL));

        assertThat(deadLetterReasons()).containsExactly("refused: a channel's key may not return an order this service does not know "
                + "(NEVER-PLACED-1); a warehouse or admin key may");
        assertThat(availability.isEmpty()).as("no ledger booked the units").isTrue();
    }

    @Test
    void aWarehouseOrAdminKeysReturnOfAnUnknownOrderIsTakenIn() {
        send(sentWith(returned("O-long-forgotten", "DC-EAST", "SKU-1", 1, true), Channel.WAREHOUSE, KeyRole.WAREHOUSE));
        send(sentWith(returned("O-long-forgotten-2", "DC-EAST", "SKU-1", 1, true), Channel.UNKNOWN, KeyRole.ADMIN));

        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(availability.readValuesToList()).last().extracting(InventoryPosition::getOnHand).isEqualTo(12);
    }

    /** A WEB placement of the marketplace's order id is refused loudly; the marketplace order stays as it was. */
    @Test
    void aPlacementOfAnIdAnotherOrderHoldsIsRefusedAndTheFirstOrderStays() {
        send(sentWith(placed("O-mp", Channel.WEB, "SKU-1:5"), Channel.WEB, KeyRole.CHANNEL));

        assertThat(deadLetterReasons()).containsExactly(
                "refused: order O-mp is already placed, as a MARKETPLACE order; a WEB placement may not take its id");
        assertThat(statusChanges.isEmpty()).as("the first order did not change").isTrue();
        assertThat(availability.isEmpty()).as("nothing more was reserved").isTrue();
        send(sentWith(cancelWhole("O-mp"), Channel.MARKETPLACE, KeyRole.CHANNEL));
        assertThat(statusChanges.readValuesToList()).singleElement()
                .satisfies(c -> assertThat(c.getChannel().toString()).isEqualTo("MARKETPLACE"))
                .extracting(c -> c.getStatus().name()).isEqualTo("CANCELLED");
        assertThat(availability.readValuesToList()).last().extracting(InventoryPosition::getCommitted).isEqualTo(0);
    }

    /** The same placement redelivered stays a quiet duplicate. */
    @Test
    void theSamePlacementRedeliveredIsIgnoredQuietly() {
        OrderEvent placement = placed("O-web", Channel.WEB, "SKU-1:2");
        send(placement);
        send(placement);

        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(availability.readValuesToList()).last().extracting(InventoryPosition::getCommitted).isEqualTo(5);
    }
}
