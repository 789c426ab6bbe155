package dev.omnistock.inventory.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnistock.config.Config;
import dev.omnistock.events.AdjustmentReason;
import dev.omnistock.events.CancelledLine;
import dev.omnistock.events.Channel;
import dev.omnistock.events.CountType;
import dev.omnistock.events.FulfillmentMethod;
import dev.omnistock.events.InboundExpected;
import dev.omnistock.events.InventoryAlert;
import dev.omnistock.events.InventoryPosition;
import dev.omnistock.events.InventorySettings;
import dev.omnistock.events.LineCommand;
import dev.omnistock.events.OrderCancelled;
import dev.omnistock.events.OrderDecision;
import dev.omnistock.events.OrderStatusChanged;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.OrderLine;
import dev.omnistock.events.OrderPlaced;
import dev.omnistock.events.OrderShipped;
import dev.omnistock.events.ReturnReceived;
import dev.omnistock.events.ReturnedLine;
import dev.omnistock.events.ShippedLine;
import dev.omnistock.events.StockAdjusted;
import dev.omnistock.events.StockCounted;
import dev.omnistock.events.StockEvent;
import dev.omnistock.events.StockReceived;
import dev.omnistock.inventory.InventoryConfig;
import dev.omnistock.inventory.ledger.Position;
import dev.omnistock.inventory.ledger.SkuLedger;
import dev.omnistock.generator.model.InventoryOracle;
import dev.omnistock.generator.model.OrderStatusOracle;
import dev.omnistock.inventory.model.Scenario;
import dev.omnistock.inventory.model.SeededRuns;
import dev.omnistock.generator.model.Step;
import dev.omnistock.inventory.orders.OrderReservation;
import dev.omnistock.inventory.sourcing.Allocation;
import dev.omnistock.topics.DeadLetterHeaders;
import dev.omnistock.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * The same random sequences as {@link RulesModelTest}, as Avro records through the service's real
 * topology (TopologyTestDriver, the service's exactly-once configuration, both sides, their internal
 * topics and punctuations), against the same {@link InventoryOracle}. The driver hands each record's
 * output on at once, so each event is followed through both sides before the next: these runs vary how
 * stock and order events interleave, and RulesModelTest how line commands and answers do. After every
 * event the stores, the published positions, the decisions and the dead letters must equal the oracle's,
 * and order-status must tell where each order stands ({@link OrderStatusOracle}).
 */
class TopologyModelTest {

    private Path stateDir;
    private TopologyTestDriver driver;
    private Topics topics;
    private TestInputTopic<String, StockEvent> stock;
    private TestInputTopic<String, OrderEvent> orders;
    private TestInputTopic<String, InventorySettings> settings;
    private TestOutputTopic<String, InventoryPosition> availability;
    private TestOutputTopic<String, OrderDecision> decisionTopic;
    private TestOutputTopic<String, OrderStatusChanged> statusTopic;
    private TestOutputTopic<byte[], byte[]> deadLetterTopic;
    private TestOutputTopic<String, InventoryAlert> alertTopic;
    private final List<String> alerts = new ArrayList<>();
    private final Map<String, InventoryPosition> published = new TreeMap<>();
    private final List<String> decisions = new ArrayList<>();
    private final Map<String, List<OrderStatusChanged>> statusChanges = new HashMap<>();
    private final List<String> deadLetters = new ArrayList<>();
    private final Map<UUID, String> eventIds = new HashMap<>();

    /** A tenth of the rules-level runs: each starts a driver with RocksDB stores. */
    @Test
    void theTopologyMatchesTheOracle() {
        SeededRuns.check("TopologyModelTest", 10, this::theTopologyMatchesTheOracle);
    }

    private void theTopologyMatchesTheOracle(SeededRuns.Run run, List<Step> steps) throws IOException {
        InventoryOracle oracle = new InventoryOracle(new InventoryOracle.Settings(List.of("DC-1", "DC-2"), run.splitLines(), run.partialOrders(),
                RulesModelTest.RESERVATION_EXPIRY, RulesModelTest.INBOUND_EXPIRY, RulesModelTest.LOW_STOCK_THRESHOLD,
                RulesModelTest.HYSTERESIS), RulesModelTest.START);
        stateDir = Files.createTempDirectory("topology-model");
        try {
            start(run.splitLines(), run.partialOrders());
            Scenario scenario = new Scenario(oracle, false);
            for (Scenario.Intent intent : run.intents()) {
                for (Step step : scenario.next(intent)) {
                    steps.add(step);
                    oracle.apply(step);
                    oracle.drain();
                    send(step);
                    assertSame(oracle, steps);
                }
            }
        } finally {
            close();
        }
    }

    private void close() throws IOException {
        if (driver != null) {
            driver.close();
            driver = null;
        }
        try (Stream<Path> files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        published.clear();
        decisions.clear();
        statusChanges.clear();
        deadLetters.clear();
        alerts.clear();
        eventIds.clear();
    }

    private void start(boolean splitLines, boolean partialOrders) {
        Map<String, String> env = Map.of("SCHEMA_REGISTRY_URL", "mock://" + UUID.randomUUID(),
                "INVENTORY_LOCATION_PRIORITY", "DC-1,DC-2",
                "INVENTORY_DEFAULT_LOW_STOCK_THRESHOLD", Integer.toString(RulesModelTest.LOW_STOCK_THRESHOLD),
                "INVENTORY_ALERT_HYSTERESIS", Integer.toString(RulesModelTest.HYSTERESIS),
                "INVENTORY_SPLIT_LINES", Boolean.toString(splitLines),
                "INVENTORY_PARTIAL_ORDERS", Boolean.toString(partialOrders),
                "INVENTORY_RESERVATION_EXPIRY_HOURS", Long.toString(Duration.ofMillis(RulesModelTest.RESERVATION_EXPIRY).toHours()),
                "INVENTORY_INBOUND_EXPIRY_HOURS", Long.toString(Duration.ofMillis(RulesModelTest.INBOUND_EXPIRY).toHours()),
                // Longer than any run: ids and closed orders are never forgotten within one (the window store
                // drops whole segments, which the oracle does not model).
                "INVENTORY_DEDUPE_RETENTION_HOURS", Integer.toString(24 * 30),
                "INVENTORY_STATE_DIR", stateDir.toString());
        InventoryConfig config = InventoryConfig.from(Config.of(env));
        topics = config.topics();
        driver = new TopologyTestDriver(config.topology().build(), config.streamsProperties(), Instant.ofEpochMilli(RulesModelTest.START));
        stock = driver.createInputTopic(topics.stockMovements().name(), Serdes.String().serializer(), topics.stockMovements().valueSerde().serializer());
        orders = driver.createInputTopic(topics.orders().name(), Serdes.String().serializer(), topics.orders().valueSerde().serializer());
        settings = driver.createInputTopic(topics.inventorySettings().name(), Serdes.String().serializer(), topics.inventorySettings().valueSerde().serializer());
        availability = driver.createOutputTopic(topics.inventoryAvailability().name(), Serdes.String().deserializer(), topics.inventoryAvailability().valueSerde().deserializer());
        decisionTopic = driver.createOutputTopic(topics.orderDecisions().name(), Serdes.String().deserializer(), topics.orderDecisions().valueSerde().deserializer());
        alertTopic = driver.createOutputTopic(topics.inventoryAlerts().name(), Serdes.String().deserializer(), topics.inventoryAlerts().valueSerde().deserializer());
        statusTopic = driver.createOutputTopic(topics.orderStatus().name(), Serdes.String().deserializer(), topics.orderStatus().valueSerde().deserializer());
        deadLetterTopic = driver.createOutputTopic(topics.deadLetters().name(), Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
    }

    // ---- steps as records ----

    private UUID uuid(String eventId) {
        UUID id = UUID.nameUUIDFromBytes(eventId.getBytes(StandardCharsets.UTF_8));
        eventIds.put(id, eventId);
        return id;
    }

    private void send(Step step) {
        if (step instanceof Step.Stock s) {
            Object payload = switch (s.kind()) {
                case COUNT -> new StockCounted(s.quantity(), CountType.WMS_SNAPSHOT);
                case RECEIVE -> new StockReceived(s.quantity(), s.inboundId());
                case ADJUST -> new StockAdjusted(s.quantity(), AdjustmentReason.CORRECTION, null);
                case DAMAGE -> new StockAdjusted(s.quantity(), AdjustmentReason.DAMAGE, null);
                case RELEASE_HOLD -> new StockAdjusted(s.quantity(), AdjustmentReason.HOLD_RELEASED, null);
                case EXPECT -> new InboundExpected(s.inboundId(), s.quantity(), s.expectedAt() == null ? null : Instant.ofEpochMilli(s.expectedAt()));
            };
            stock.pipeInput(s.sku(), StockEvent.newBuilder().setEventId(uuid(s.eventId())).setEventTime(Instant.ofEpochMilli(s.eventTime()))
                    .setChannel(Channel.WAREHOUSE).setSourceSystem("model").setSku(s.sku()).setLocationId(s.location()).setPayload(payload).build(),
                    s.eventTime());
        } else if (step instanceof Step.SafetyStock s) {
            settings.pipeInput(s.location() == null ? s.sku() : s.sku() + "@" + s.location(), InventorySettings.newBuilder()
                    .setEventId(uuid(s.eventId())).setEventTime(Instant.ofEpochMilli(s.eventTime())).setChannel(Channel.UNKNOWN)
                    .setSourceSystem("model").setSku(s.sku()).setLocationId(s.location()).setSafetyStock(s.safetyStock()).build(), s.eventTime());
        } else if (step instanceof Step.Place p) {
            List<OrderLine> lines = p.lines().stream().map(l -> new OrderLine(l.lineId(), l.sku(), l.quantity(), new BigDecimal("1.0000"))).toList();
            order(p, p.orderId(), p.tillSale() ? Channel.STORE_POS : Channel.WEB, OrderPlaced.newBuilder().setCurrency("EUR").setLines(lines)
                    .setFulfillmentMethod(p.pickup() || p.tillSale() ? FulfillmentMethod.PICKUP_IN_STORE : FulfillmentMethod.SHIP_TO_HOME)
                    .setRequestedLocationId(p.requestedLocation()).build());
        } else if (step instanceof Step.Cancel c) {
            List<CancelledLine> lines = c.lines().entrySet().stream().map(e -> new CancelledLine(e.getKey(), "-", e.getValue())).toList();
            order(c, c.orderId(), Channel.WEB, new OrderCancelled(c.whole(), lines, null));
        } else if (step instanceof Step.Ship s) {
            order(s, s.orderId(), Channel.WEB, new OrderShipped("SH-" + s.eventId(), s.location(),
                    s.lines().stream().map(l -> new ShippedLine(l.lineId(), l.sku(), l.quantity())).toList(), null, null));
        } else if (step instanceof Step.Return r) {
            order(r, r.orderId(), Channel.WEB, new ReturnReceived("R-" + r.eventId(), r.location(),
                    List.of(new ReturnedLine(r.line().lineId(), r.line().sku(), r.line().quantity(), r.resellable(), null))));
        } else if (step instanceof Step.Advance a) {
            driver.advanceWallClockTime(Duration.ofMillis(a.millis()));
        }
    }

    private void order(Step.External step, String orderId, Channel channel, Object payload) {
        orders.pipeInput(orderId, OrderEvent.newBuilder().setEventId(uuid(step.eventId())).setEventTime(Instant.ofEpochMilli(step.eventTime()))
                .setChannel(channel).setSourceSystem("model").setOrderId(orderId).setPayload(payload).build(), step.eventTime());
    }

    // ---- the service's state, in the oracle's terms ----

    private void assertSame(InventoryOracle oracle, List<Step> steps) {
        String after = "after " + steps.size() + " steps:\n  " + String.join("\n  ", steps.stream().map(Object::toString).toList()) + "\n";
        readOutputs();
        Map<String, Map<String, InventoryOracle.Quantities>> positions = new TreeMap<>();
        KeyValueStore<String, SkuLedger> ledgers = driver.getKeyValueStore(InventoryTopology.LEDGER_STORE);
        try (KeyValueIterator<String, SkuLedger> all = ledgers.all()) {
            all.forEachRemaining(entry -> {
                Position position = entry.value.position();
                Map<String, InventoryOracle.Quantities> perLocation = new TreeMap<>();
                position.locations().forEach(l -> perLocation.put(l.locationId(), new InventoryOracle.Quantities(l.totals().onHand(),
                        l.totals().committed(), l.totals().incoming(), l.totals().unavailable(), l.totals().safetyStock(), l.totals().available())));
                positions.put(entry.key, perLocation);
                assertThat(position.version()).as(after + entry.key + " version").isEqualTo(oracle.version(entry.key));
                InventoryPosition last = published.get(entry.key);
                assertThat(last).as(after + entry.key + " published").isNotNull();
                assertThat(last.getVersion()).as(after + entry.key + " published version").isEqualTo(position.version());
                assertThat(last.getOnHand()).as(after + entry.key + " published on hand").isEqualTo(position.network().onHand());
                assertThat(last.getCommitted()).as(after + entry.key + " published committed").isEqualTo(position.network().committed());
                assertThat(last.getIncoming()).as(after + entry.key + " published incoming").isEqualTo(position.network().incoming());
                assertThat(last.getAvailable()).as(after + entry.key + " published available").isEqualTo(position.network().available());
            });
        }
        assertThat(RulesModelTest.nonEmpty(positions)).as(after + "positions").isEqualTo(RulesModelTest.nonEmpty(oracle.positions()));
        Map<String, InventoryOracle.OrderView> orders = orders();
        assertThat(orders).as(after + "orders").isEqualTo(oracle.orders());
        assertThat(trackingStatuses()).as(after + "order statuses").isEqualTo(OrderStatusOracle.expected(oracle.orders()));
        oracle.orders().forEach((orderId, order) -> assertThat(OrderStatusOracle.problems(orderId,
                statusChanges.getOrDefault(orderId, List.of()).stream().map(OrderStatusOracle.Change::of).toList(), order))
                .as(after + "what order-status told").isEmpty());
        assertThat(decisions).as(after + "decisions").isEqualTo(oracle.decisions());
        assertThat(deadLetters).as(after + "dead letters").isEqualTo(oracle.deadLetters());
        assertThat(RulesModelTest.bySku(alerts)).as(after + "alerts").isEqualTo(RulesModelTest.bySku(oracle.alerts()));
        Map<String, Map<String, Map<String, Integer>>> reservations = reservations();
        assertThat(RulesModelTest.nonEmpty(reservations)).as(after + "reservations").isEqualTo(RulesModelTest.nonEmpty(oracle.reservations()));
        RulesModelTest.assertInvariants(positions, reservations, after);
    }

    private void readOutputs() {
        for (KeyValue<String, InventoryPosition> p : availability.readKeyValuesToList()) {
            published.put(p.key, p.value);
        }
        statusTopic.readValuesToList().forEach(c -> statusChanges.computeIfAbsent(c.getOrderId(), id -> new ArrayList<>()).add(c));
        decisionTopic.readValuesToList().forEach(d -> decisions.add(d.getOrderId() + " " + d.getStatus()));
        alertTopic.readValuesToList().forEach(a -> alerts.add(a.getSku() + " " + (a.getLocationId() == null ? "*" : a.getLocationId()) + " "
                + a.getType() + " " + a.getAvailable()));
        for (TestRecord<byte[], byte[]> letter : deadLetterTopic.readRecordsToList()) {
            String topic = new String(letter.headers().lastHeader(DeadLetterHeaders.TOPIC).value(), StandardCharsets.UTF_8);
            if (topic.equals(topics.ledgerCommands().name())) {
                LineCommand c = topics.ledgerCommands().valueSerde().deserializer().deserialize(topic, letter.value());
                deadLetters.add("command " + c.getOrderId() + "/" + c.getLineId() + " " + c.getAction());
            } else if (topic.equals(topics.orders().name())) {
                deadLetters.add("order " + eventIds.get(topics.orders().valueSerde().deserializer().deserialize(topic, letter.value()).getEventId()));
            } else if (topic.equals(topics.stockMovements().name())) {
                deadLetters.add("stock " + eventIds.get(topics.stockMovements().valueSerde().deserializer().deserialize(topic, letter.value()).getEventId()));
            } else {
                deadLetters.add("settings " + eventIds.get(topics.inventorySettings().valueSerde().deserializer().deserialize(topic, letter.value()).getEventId()));
            }
        }
    }

    private Map<String, InventoryOracle.OrderView> orders() {
        Map<String, InventoryOracle.OrderView> out = new TreeMap<>();
        KeyValueStore<String, OrderReservation> store = driver.getKeyValueStore(InventoryTopology.ORDER_STORE);
        try (KeyValueIterator<String, OrderReservation> all = store.all()) {
            all.forEachRemaining(entry -> {
                Map<String, InventoryOracle.LineView> lines = new LinkedHashMap<>();
                entry.value.lineStates().forEach(l -> lines.put(l.lineId(), new InventoryOracle.LineView(l.sku(), l.quantity(), l.answered(),
                        l.reserved(), l.shipped(), l.cancelled(), l.expired(), l.returned())));
                out.put(entry.key, new InventoryOracle.OrderView(entry.value.status().name(), lines));
            });
        }
        return out;
    }

    private Map<String, String> trackingStatuses() {
        Map<String, String> out = new TreeMap<>();
        KeyValueStore<String, OrderReservation> store = driver.getKeyValueStore(InventoryTopology.ORDER_STORE);
        try (KeyValueIterator<String, OrderReservation> all = store.all()) {
            all.forEachRemaining(entry -> out.put(entry.key, entry.value.trackingStatus().name()));
        }
        return out;
    }

    /** sku-reservations, keyed "sku|orderId|lineId", as the oracle gives them. */
    private Map<String, Map<String, Map<String, Integer>>> reservations() {
        Map<String, Map<String, Map<String, Integer>>> out = new TreeMap<>();
        KeyValueStore<String, Allocation[]> store = driver.getKeyValueStore(InventoryTopology.RESERVATION_STORE);
        try (KeyValueIterator<String, Allocation[]> all = store.all()) {
            all.forEachRemaining(entry -> {
                String[] parts = entry.key.split("\\|", 3);
                Map<String, Integer> held = new TreeMap<>();
                for (Allocation a : entry.value) {
                    held.merge(a.locationId(), a.quantity(), Integer::sum);
                }
                out.computeIfAbsent(parts[0], k -> new TreeMap<>()).put(parts[1] + "/" + parts[2], held);
            });
        }
        return out;
    }
}
