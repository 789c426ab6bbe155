package dev.omnistock.inventory.topology;

import static dev.omnistock.inventory.topology.InventoryEvents.adjust;
import static dev.omnistock.inventory.topology.InventoryEvents.cancelLine;
import static dev.omnistock.inventory.topology.InventoryEvents.cancelWhole;
import static dev.omnistock.inventory.topology.InventoryEvents.count;
import static dev.omnistock.inventory.topology.InventoryEvents.placed;
import static dev.omnistock.inventory.topology.InventoryEvents.returned;
import static dev.omnistock.inventory.topology.InventoryEvents.shipped;
import static dev.omnistock.inventory.topology.InventoryEvents.threshold;
import static org.assertj.core.api.Assertions.assertThat;

import dev.omnistock.events.AdjustmentReason;
import dev.omnistock.events.AlertType;
import dev.omnistock.events.Channel;
import dev.omnistock.events.DecisionStatus;
import dev.omnistock.events.InventoryAlert;
import dev.omnistock.events.InventoryPosition;
import dev.omnistock.events.InventorySettings;
import dev.omnistock.events.LocationPosition;
import dev.omnistock.events.OrderDecision;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.StockEvent;
import dev.omnistock.events.StockReceived;
import dev.omnistock.inventory.InventoryConfig;
import dev.omnistock.topics.DeadLetterHeaders;
import dev.omnistock.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each rule of the inventory service, through the real topology on TopologyTestDriver. */
class InventoryTopologyTest {

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private Topics topics;
    private TestInputTopic<String, StockEvent> stock;
    private TestInputTopic<String, OrderEvent> orders;
    private TestInputTopic<String, InventorySettings> settings;
    private TestOutputTopic<String, InventoryPosition> availability;
    private TestOutputTopic<String, InventoryAlert> alerts;
    private TestOutputTopic<String, OrderDecision> decisions;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    @BeforeEach
    void start() {
        Map<String, String> env = Map.of("SCHEMA_REGISTRY_URL", "mock://" + UUID.randomUUID(),
                "INVENTORY_LOCATION_PRIORITY", "DC-EAST,DC-WEST",
                "INVENTORY_DEFAULT_LOW_STOCK_THRESHOLD", "5",
                "INVENTORY_ALERT_HYSTERESIS", "2",
                "INVENTORY_STATE_DIR", stateDir.toString(),
                // No cache: every read reaches RocksDB, so the tests see what the stores keep (and expire).
                "INVENTORY_CACHE_MAX_MB", "0");
        InventoryConfig config = InventoryConfig.from(dev.omnistock.config.Config.of(env));
        topics = config.topics();
        Properties props = config.streamsProperties();
        driver = new TopologyTestDriver(config.topology().build(), props);
        stock = driver.createInputTopic(topics.stockMovements().name(), Serdes.String().serializer(), topics.stockMovements().valueSerde().serializer());
        orders = driver.createInputTopic(topics.orders().name(), Serdes.String().serializer(), topics.orders().valueSerde().serializer());
        settings = driver.createInputTopic(topics.inventorySettings().name(), Serdes.String().serializer(), topics.inventorySettings().valueSerde().serializer());
        availability = driver.createOutputTopic(topics.inventoryAvailability().name(), Serdes.String().deserializer(), topics.inventoryAvailability().valueSerde().deserializer());
        alerts = driver.createOutputTopic(topics.inventoryAlerts().name(), Serdes.String().deserializer(), topics.inventoryAlerts().valueSerde().deserializer());
        decisions = driver.createOutputTopic(topics.orderDecisions().name(), Serdes.String().deserializer(), topics.orderDecisions().valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetters().name(), Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void send(StockEvent event) {
        stock.pipeInput(event.getSku(), event);
    }

    private void send(OrderEvent event) {
        orders.pipeInput(event.getOrderId(), event);
    }

    private final Map<String, InventoryPosition> positions = new java.util.HashMap<>();

    /** The latest position published for the SKU so far. */
    private InventoryPosition latest(String sku) {
        positions.putAll(availability.readKeyValuesToMap());
        return positions.get(sku);
    }

    private static LocationPosition at(InventoryPosition position, String location) {
        return position.getLocations().stream().filter(l -> l.getLocationId().equals(location)).findFirst().orElseThrow();
    }

    @Test
    void aCountPublishesThePositionPerLocationAndForTheNetwork() {
        send(count("SKU-1", "DC-EAST", 10));
        send(count("SKU-1", "STORE-1", 4));

        InventoryPosition position = latest("SKU-1");
        assertThat(position.getOnHand()).isEqualTo(14);
        assertThat(position.getAvailable()).isEqualTo(14);
        assertThat(at(position, "STORE-1").getOnHand()).isEqualTo(4);
        assertThat(position.getVersion()).isEqualTo(2);
    }

    @Test
    void anOrderWithStockIsAcceptedAndCommitsAtTheAllocatedLocation() {
        send(count("SKU-1", "DC-EAST", 10));
        send(placed("O-1", Channel.WEB, "SKU-1:3"));

        OrderDecision decision = decisions.readValue();
        assertThat(decision.getStatus()).isEqualTo(DecisionStatus.ACCEPTED);
        assertThat(decision.getLines()).singleElement().satisfies(line ->
                assertThat(line.getAllocations()).singleElement().satisfies(a -> {
                    assertThat(a.getLocationId()).isEqualTo("DC-EAST");
                    assertThat(a.getQuantity()).isEqualTo(3);
                }));
        InventoryPosition position = latest("SKU-1");
        assertThat(position.getCommitted()).isEqualTo(3);
        assertThat(position.getAvailable()).isEqualTo(7);
    }

    @Test
    void anOrderWithOneUncoverableLineIsRejectedAndItsOtherLinesReleased() {
        send(count("SKU-1", "DC-EAST", 10));
        send(count("SKU-2", "DC-EAST", 1));
        send(placed("O-1", Channel.MOBILE_APP, "SKU-1:2", "SKU-2:5"));

        OrderDecision decision = decisions.readValue();
        assertThat(decision.getStatus()).isEqualTo(DecisionStatus.REJECTED);
        assertThat(decision.getLines()).filteredOn(l -> l.getSku().equals("SKU-2")).singleElement()
                .satisfies(l -> assertThat(l.getRejectionReason()).contains("insufficient stock"));
        assertThat(latest("SKU-1").getCommitted()).isZero();
        assertThat(latest("SKU-1").getAvailable()).isEqualTo(10);
    }

    @Test
    void aPickupOrderIsReservedAtItsStoreOrRejectedEvenWhenAWarehouseHasStock() {
        send(count("SKU-1", "DC-EAST", 100));
        send(count("SKU-1", "STORE-1", 1));
        send(InventoryEvents.pickup("O-pickup-2", "STORE-1", "SKU-1:2"));
        send(InventoryEvents.pickup("O-pickup-1", "STORE-1", "SKU-1:1"));

        List<OrderDecision> both = decisions.readValuesToList();
        assertThat(both.get(0).getStatus()).isEqualTo(DecisionStatus.REJECTED);
        assertThat(both.get(0).getLines().get(0).getRejectionReason()).contains("at STORE-1");
        assertThat(both.get(1).getStatus()).isEqualTo(DecisionStatus.ACCEPTED);
        assertThat(both.get(1).getLines().get(0).getAllocations().get(0).getLocationId()).isEqualTo("STORE-1");
        assertThat(at(latest("SKU-1"), "DC-EAST").getCommitted()).isZero();
    }

    @Test
    void twoChannelsRacingForTheLastUnitNeverBothWin() {
        send(count("SKU-1", "DC-EAST", 1));
        send(placed("O-web", Channel.WEB, "SKU-1:1"));
        send(placed("O-marketplace", Channel.MARKETPLACE, "SKU-1:1"));

        List<OrderDecision> both = decisions.readValuesToList();
        assertThat(both).extracting(OrderDecision::getStatus).containsExactly(DecisionStatus.ACCEPTED, DecisionStatus.REJECTED);
        assertThat(latest("SKU-1").getCommitted()).isEqualTo(1);
    }

    @Test
    void aClosedOrderIsForgottenAfterTheRetentionAndAnOpenOneIsKept() {
        send(count("SKU-1", "DC-EAST", 10));
        send(placed("O-open", Channel.WEB, "SKU-1:1"));
        send(placed("O-rejected", Channel.WEB, "SKU-1:50"));
        KeyValueStore<String, Object> orderStore = driver.getKeyValueStore(InventoryTopology.ORDER_STORE);
        assertThat(orderStore.get("O-rejected")).isNotNull();

        driver.advanceWallClockTime(Duration.ofHours(23));
        assertThat(orderStore.get("O-rejected")).as("still within the retention").isNotNull();
        driver.advanceWallClockTime(Duration.ofHours(2));
        assertThat(orderStore.get("O-rejected")).isNull();
        assertThat(orderStore.get("O-open")).isNotNull();
    }

    @Test
    void anAcceptedOrderThatNeverShipsReleasesItsReservationAfterTheExpiry() {
        send(count("SKU-1", "DC-EAST", 10));
        send(placed("O-1", Channel.WEB, "SKU-1:4"));
        assertThat(latest("SKU-1").getCommitted()).isEqualTo(4);

        driver.advanceWallClockTime(Duration.ofDays(7).minusMinutes(2));
        assertThat(availability.isEmpty()).as("not expired yet").isTrue();
        driver.advanceWallClockTime(Duration.ofMinutes(3));
        assertThat(latest("SKU-1").getCommitted()).isZero();
        assertThat(latest("SKU-1").getAvailable()).isEqualTo(10);
        send(shipped("O-1", "DC-EAST", "SKU-1", 1));
        assertThat(header(deadLetters.readRecord(), DeadLetterHeaders.MESSAGE)).contains("which has 0 open");
    }

    @Test
    void expectedInboundThatNeverArrivesStopsCountingAsIncomingAfterTheExpiry() {
        Instant expectedAt = Instant.now().plus(Duration.ofDays(1));
        send(InventoryEvents.stock("SKU-1", "DC-EAST", new dev.omnistock.events.InboundExpected("PO-1", 20, expectedAt)));
        assertThat(latest("SKU-1").getIncoming()).isEqualTo(20);

        driver.advanceWallClockTime(Duration.ofDays(14));
        assertThat(availability.isEmpty()).as("a day before the expiry").isTrue();
        driver.advanceWallClockTime(Duration.ofDays(1).plusMinutes(2));
        assertThat(latest("SKU-1").getIncoming()).isZero();
    }

    @Test
    void aCancelReleasesTheReservation() {
        send(count("SKU-1", "DC-EAST", 10));
        send(placed("O-1", Channel.WEB, "SKU-1:4"));
        send(cancelLine("O-1", "SKU-1", 1));
        assertThat(latest("SKU-1").getCommitted()).isEqualTo(3);
        send(cancelWhole("O-1"));
        assertThat(latest("SKU-1").getCommitted()).isZero();
        assertThat(latest("SKU-1").getAvailable()).isEqualTo(10);
    }

    @Test
    void aShipmentReducesOnHandAndCommittedTogether() {
        send(count("SKU-1", "DC-EAST", 10));
        send(placed("O-1", Channel.WEB, "SKU-1:4"));
        send(shipped("O-1", "DC-EAST", "SKU-1", 4));

        InventoryPosition position = latest("SKU-1");
        assertThat(position.getOnHand()).isEqualTo(6);
        assertThat(position.getCommitted()).isZero();
        assertThat(position.getAvailable()).isEqualTo(6);
    }

    @Test
    void shippingFromWhereNothingIsCommittedGoesToTheDeadLetterTopicWithTheReason() {
        send(count("SKU-1", "DC-EAST", 10));
        send(placed("O-1", Channel.WEB, "SKU-1:2"));
        availability.readValuesToList();
        send(shipped("O-1", "DC-WEST", "SKU-1", 2));

        TestRecord<byte[], byte[]> letter = deadLetters.readRecord();
        assertThat(header(letter, DeadLetterHeaders.MESSAGE)).contains("only 0 are committed");
        assertThat(header(letter, DeadLetterHeaders.EXCEPTION)).isEqualTo(DeadLetterHeaders.REJECTED_BY_RULE);
        assertThat(header(letter, DeadLetterHeaders.TOPIC)).isEqualTo(topics.ledgerCommands().name());
        assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("SKU-1");
        assertThat(availability.isEmpty()).as("position unchanged, so none published").isTrue();
    }

    @Test
    void shippingMoreThanTheLineHasOpenIsDeadLetteredByTheOrderAndReachesNoLedger() {
        send(count("SKU-1", "DC-EAST", 10));
        send(placed("O-1", Channel.WEB, "SKU-1:2"));
        availability.readValuesToList();
        send(shipped("O-1", "DC-EAST", "SKU-1", 3));

        TestRecord<byte[], byte[]> letter = deadLetters.readRecord();
        assertThat(header(letter, DeadLetterHeaders.MESSAGE)).contains("which has 2 open");
        assertThat(header(letter, DeadLetterHeaders.TOPIC)).isEqualTo(topics.orders().name());
        assertThat(availability.isEmpty()).isTrue();
    }

    @Test
    void aShipmentOfAnUnknownOrderIsDeadLetteredLikeItsCancel() {
        send(count("SKU-1", "DC-EAST", 10));
        availability.readValuesToList();
        send(shipped("O-unknown", "DC-EAST", "SKU-1", 1));
        send(cancelWhole("O-unknown"));

        assertThat(deadLetters.readRecordsToList()).extracting(l -> header(l, DeadLetterHeaders.MESSAGE))
                .containsExactly("shipment for order O-unknown, which this service has never seen placed",
                        "cancel for order O-unknown, which this service has never seen placed");
        assertThat(availability.isEmpty()).as("no ledger touched").isTrue();
    }

    @Test
    void aReturnOfAnUnknownOrderIsStillTakenIn() {
        send(count("SKU-1", "DC-EAST", 10));
        send(returned("O-long-forgotten", "DC-EAST", "SKU-1", 1, true));
        assertThat(latest("SKU-1").getOnHand()).isEqualTo(11);
    }

    @Test
    void aCancelAfterAPartialShipmentReleasesWhatIsLeft() {
        send(count("SKU-1", "DC-EAST", 10));
        send(placed("O-1", Channel.WEB, "SKU-1:4"));
        send(shipped("O-1", "DC-EAST", "SKU-1", 1));
        send(cancelLine("O-1", "SKU-1", 4));

        InventoryPosition position = latest("SKU-1");
        assertThat(position.getOnHand()).isEqualTo(9);
        assertThat(position.getCommitted()).isZero();
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void aTillSaleBeyondWhatTheLedgerKnowsIsAppliedAndRaisesOversold() {
        send(count("SKU-1", "STORE-1", 2));
        send(InventoryEvents.pickup("O-pickup", "STORE-1", "SKU-1:2"));
        OrderEvent sale = InventoryEvents.order("POS-1", Channel.STORE_POS, dev.omnistock.events.OrderPlaced.newBuilder()
                .setCurrency("EUR").setLines(List.of(new dev.omnistock.events.OrderLine("SKU-1", "SKU-1", 1, new java.math.BigDecimal("9.99"))))
                .setFulfillmentMethod(dev.omnistock.events.FulfillmentMethod.PICKUP_IN_STORE).setRequestedLocationId("STORE-1").build());
        send(sale);
        send(shipped("POS-1", "STORE-1", "SKU-1", 1));

        InventoryPosition position = latest("SKU-1");
        assertThat(position.getOnHand()).isEqualTo(1);
        assertThat(position.getCommitted()).as("the pickup keeps its reservation").isEqualTo(2);
        assertThat(alerts.readValuesToList()).extracting(InventoryAlert::getType, InventoryAlert::getLocationId, InventoryAlert::getAvailable)
                .contains(org.assertj.core.groups.Tuple.tuple(AlertType.OVERSOLD, "STORE-1", -1));
        assertThat(decisions.readValuesToList()).extracting(OrderDecision::getOrderId, OrderDecision::getStatus)
                .contains(org.assertj.core.groups.Tuple.tuple("POS-1", DecisionStatus.ACCEPTED));
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void aRejectedEventLeavesNoTraceInTheLedgerThatLaterEventsSee() {
        send(count("SKU-1", "DC-EAST", 10));
        // Damage at a location with nothing on hand is impossible; checking it meets the location first.
        send(adjust("SKU-1", "STORE-9", 3, AdjustmentReason.DAMAGE));
        assertThat(header(deadLetters.readRecord(), DeadLetterHeaders.MESSAGE)).contains("cannot mark 3 unavailable at STORE-9");
        send(count("SKU-1", "DC-EAST", 11));

        InventoryPosition position = latest("SKU-1");
        assertThat(position.getLocations()).extracting(LocationPosition::getLocationId).containsExactly("DC-EAST");
        assertThat(position.getVersion()).isEqualTo(2);
    }

    @Test
    void aResellableReturnIsAvailableAgainAndADamagedOneIsNot() {
        send(count("SKU-1", "DC-EAST", 0));
        send(returned("O-1", "DC-EAST", "SKU-1", 2, true));
        send(returned("O-2", "DC-EAST", "SKU-1", 1, false));

        InventoryPosition position = latest("SKU-1");
        assertThat(position.getOnHand()).isEqualTo(3);
        assertThat(position.getUnavailable()).isEqualTo(1);
        assertThat(position.getAvailable()).isEqualTo(2);
    }

    @Test
    void damageMovesUnitsToUnavailable() {
        send(count("SKU-1", "DC-EAST", 10));
        send(adjust("SKU-1", "DC-EAST", 3, AdjustmentReason.DAMAGE));
        send(adjust("SKU-1", "DC-EAST", -2, AdjustmentReason.SHRINK));

        InventoryPosition position = latest("SKU-1");
        assertThat(position.getOnHand()).isEqualTo(8);
        assertThat(position.getUnavailable()).isEqualTo(3);
        assertThat(position.getAvailable()).isEqualTo(5);
    }

    @Test
    void aDuplicateEventCountsOnce() {
        StockEvent received = InventoryEvents.stock("SKU-1", "DC-EAST", new StockReceived(5, null));
        send(received);
        send(received);

        assertThat(availability.readValuesToList()).singleElement().satisfies(p -> assertThat(p.getOnHand()).isEqualTo(5));
    }

    @Test
    void aDuplicateRedeliveredLaterStillCountsOnce() {
        StockEvent received = InventoryEvents.stock("SKU-1", "DC-EAST", new StockReceived(5, null));
        Instant firstSent = received.getEventTime().plusSeconds(1);
        stock.pipeInput(received.getSku(), received, firstSent);
        driver.advanceWallClockTime(Duration.ofHours(3));
        stock.pipeInput(received.getSku(), received, firstSent.plus(Duration.ofHours(3)));

        assertThat(availability.readValuesToList()).singleElement().satisfies(p -> assertThat(p.getOnHand()).isEqualTo(5));
    }

    @Test
    void aCopyStampedWithAnotherEventTimeStillCountsOnce() {
        // A keyed request retried through another ingestion instance: the same event id, a new event time.
        StockEvent received = InventoryEvents.stock("SKU-1", "DC-EAST", new StockReceived(5, null));
        StockEvent retried = StockEvent.newBuilder(received).setEventTime(received.getEventTime().plusSeconds(40)).build();
        send(received);
        send(retried);

        OrderEvent cancel = cancelLine("O-1", "SKU-1", 1);
        send(count("SKU-1", "DC-WEST", 10));
        send(placed("O-1", Channel.WEB, "SKU-1:4"));
        send(cancel);
        send(OrderEvent.newBuilder(cancel).setEventTime(cancel.getEventTime().plusSeconds(40)).build());

        InventoryPosition position = latest("SKU-1");
        assertThat(position.getOnHand()).isEqualTo(15);
        assertThat(position.getCommitted()).isEqualTo(3);
    }

    @Test
    void anEventIdIsRememberedForTheRetentionAfterItWasApplied() {
        StockEvent received = InventoryEvents.stock("SKU-1", "DC-EAST", new StockReceived(5, null));
        send(received);
        driver.advanceWallClockTime(Duration.ofHours(23));
        send(count("SKU-1", "DC-WEST", 1)); // moves the store's time, so a segment can expire
        send(received);
        assertThat(at(latest("SKU-1"), "DC-EAST").getOnHand()).as("within the retention: a duplicate").isEqualTo(5);

        driver.advanceWallClockTime(Duration.ofHours(25));
        send(count("SKU-1", "DC-WEST", 1));
        send(received);
        assertThat(at(latest("SKU-1"), "DC-EAST").getOnHand()).as("a retention later: a new receipt").isEqualTo(10);
    }

    @Test
    void aDuplicateOfAnEventSyncedDaysLateStillCountsOnce() {
        // A store system that was offline sends a receipt three days after it happened, then again on a retry.
        StockEvent current = InventoryEvents.stock("SKU-1", "DC-EAST", new StockReceived(1, null));
        StockEvent synced = InventoryEvents.stock("SKU-1", "DC-EAST", new StockReceived(5, null));
        synced.setEventTime(current.getEventTime().minus(Duration.ofDays(3)));
        Instant sent = current.getEventTime().plusSeconds(1);
        stock.pipeInput(current.getSku(), current, sent);
        stock.pipeInput(synced.getSku(), synced, sent.plusSeconds(60));
        stock.pipeInput(synced.getSku(), synced, sent.plusSeconds(120));

        assertThat(latest("SKU-1").getOnHand()).isEqualTo(6);
    }

    @Test
    void anEventFromAClockFarAheadDoesNotExpireTheOthers() {
        StockEvent fromTheFuture = InventoryEvents.stock("SKU-1", "DC-EAST", new StockReceived(1, null));
        fromTheFuture.setEventTime(fromTheFuture.getEventTime().plus(Duration.ofDays(30)));
        StockEvent received = InventoryEvents.stock("SKU-1", "DC-EAST", new StockReceived(5, null));
        Instant sent = received.getEventTime().plusSeconds(1);
        stock.pipeInput(fromTheFuture.getSku(), fromTheFuture, sent);
        stock.pipeInput(received.getSku(), received, sent);
        stock.pipeInput(received.getSku(), received, sent.plusSeconds(1));

        assertThat(latest("SKU-1").getOnHand()).isEqualTo(6);
    }

    @Test
    void aDuplicateOrderIsReservedAndDecidedOnce() {
        send(count("SKU-1", "DC-EAST", 10));
        OrderEvent order = placed("O-1", Channel.WEB, "SKU-1:4");
        send(order);
        send(order);

        assertThat(latest("SKU-1").getCommitted()).isEqualTo(4);
        assertThat(decisions.readValuesToList()).singleElement();
    }

    @Test
    void aDuplicateShipmentShipsOnce() {
        send(count("SKU-1", "DC-EAST", 10));
        send(placed("O-1", Channel.WEB, "SKU-1:4"));
        OrderEvent shipment = shipped("O-1", "DC-EAST", "SKU-1", 2);
        send(shipment);
        send(shipment);

        InventoryPosition position = latest("SKU-1");
        assertThat(position.getOnHand()).isEqualTo(8);
        assertThat(position.getCommitted()).isEqualTo(2);
    }

    @Test
    void aDuplicatePartialCancelReleasesOnce() {
        send(count("SKU-1", "DC-EAST", 10));
        send(placed("O-1", Channel.WEB, "SKU-1:4"));
        OrderEvent cancel = cancelLine("O-1", "SKU-1", 1);
        send(cancel);
        send(cancel);

        assertThat(latest("SKU-1").getCommitted()).isEqualTo(3);
    }

    @Test
    void twoCancelsOfOneLineEachRelease() {
        send(count("SKU-1", "DC-EAST", 10));
        send(placed("O-1", Channel.WEB, "SKU-1:4"));
        send(cancelLine("O-1", "SKU-1", 1));
        send(cancelLine("O-1", "SKU-1", 2));

        assertThat(latest("SKU-1").getCommitted()).isEqualTo(1);
    }

    @Test
    void aDuplicateReturnCountsOnce() {
        send(count("SKU-1", "DC-EAST", 0));
        OrderEvent returned = returned("O-1", "DC-EAST", "SKU-1", 2, true);
        send(returned);
        send(returned);

        assertThat(latest("SKU-1").getOnHand()).isEqualTo(2);
    }

    @Test
    void lowStockAlertsAreEdgeTriggeredWithTheSkuThreshold() {
        settings.pipeInput("SKU-1", threshold("SKU-1", 4));
        send(count("SKU-1", "DC-EAST", 10));
        send(adjust("SKU-1", "DC-EAST", -6, AdjustmentReason.SHRINK));
        send(adjust("SKU-1", "DC-EAST", -1, AdjustmentReason.SHRINK));
        send(adjust("SKU-1", "DC-EAST", -3, AdjustmentReason.SHRINK));
        send(adjust("SKU-1", "DC-EAST", 5, AdjustmentReason.FOUND)); // 5: inside the hysteresis band (4 + 2)
        send(adjust("SKU-1", "DC-EAST", 2, AdjustmentReason.FOUND)); // 7: back in stock

        assertThat(alerts.readValuesToList()).extracting(InventoryAlert::getType)
                .containsExactly(AlertType.LOW_STOCK, AlertType.OUT_OF_STOCK, AlertType.BACK_IN_STOCK);
    }

    @Test
    void theDefaultThresholdAppliesWithoutASetting() {
        send(count("SKU-1", "DC-EAST", 5));

        assertThat(alerts.readValue()).satisfies(a -> {
            assertThat(a.getType()).isEqualTo(AlertType.LOW_STOCK);
            assertThat(a.getThreshold()).isEqualTo(5);
            assertThat(a.getLocationId()).isNull();
        });
    }

    @Test
    void anEventUnderTheWrongKeyIsDeadLettered() {
        StockEvent event = count("SKU-1", "DC-EAST", 10);
        stock.pipeInput("SKU-OTHER", event);

        assertThat(header(deadLetters.readRecord(), DeadLetterHeaders.MESSAGE)).contains("not the event's SKU");
        assertThat(availability.isEmpty()).isTrue();
    }

    @Test
    void anUndecodableRecordIsSkippedAndTheNextOneStillProcessed() {
        // Where it goes (the dead-letter topic, by Kafka Streams' own handler) is checked against the
        // real broker in InventoryServiceIT: TopologyTestDriver does not run that handler's producer.
        TestInputTopic<String, byte[]> raw = driver.createInputTopic(topics.stockMovements().name(),
                Serdes.String().serializer(), Serdes.ByteArray().serializer());
        raw.pipeInput("SKU-1", "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8));
        send(count("SKU-1", "DC-EAST", 10));

        assertThat(latest("SKU-1").getOnHand()).isEqualTo(10);
    }

    @Test
    void anInvalidOrderIsDeadLettered() {
        send(placed("O-1", Channel.WEB, "SKU-1:0"));

        assertThat(header(deadLetters.readRecord(), DeadLetterHeaders.MESSAGE)).contains("must be more than 0");
        assertThat(decisions.isEmpty()).isTrue();
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
