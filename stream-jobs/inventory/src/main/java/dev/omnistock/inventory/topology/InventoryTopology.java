package dev.omnistock.inventory.topology;

import dev.omnistock.inventory.ledger.InventoryRules;
import dev.omnistock.inventory.ledger.SkuLedger;
import dev.omnistock.inventory.orders.OrderReservation;
import dev.omnistock.inventory.sourcing.Allocation;
import dev.omnistock.topics.DeadLetterHeaders;
import dev.omnistock.topics.TopicSpec;
import dev.omnistock.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inventory service's topology.
 *
 * <pre>
 * orders ─────────────────┐                                    ┌─▶ order-decisions
 *                         ├─▶ order side (order-reservations, ─┼─▶ order-status
 * inventory-line-answers ─┘      order-applied-events,         └─▶ inventory-ledger-commands (by SKU)
 *                                order-deadlines)
 *
 * stock-movements ────────────┐                                ┌─▶ inventory-availability
 * inventory-ledger-commands ──┼─▶ SKU ledger (sku-ledger, ─────┼─▶ inventory-alerts
 * inventory-settings ─(by SKU)┘     sku-reservations,          ├─▶ inventory-line-answers (by orderId)
 *                                   sku-applied-events,        └─▶ dead-letter
 *                                   sku-deadlines)
 * </pre>
 *
 * The two sides talk through the two internal topics, so each order line is reserved by the one
 * task that owns its SKU, and each order is decided by the one task that owns the order.
 */
public final class InventoryTopology {

    public static final String LEDGER_STORE = "sku-ledger";
    public static final String RESERVATION_STORE = "sku-reservations";
    public static final String APPLIED_EVENTS_STORE = "sku-applied-events";
    public static final String ORDER_STORE = "order-reservations";
    public static final String ORDER_APPLIED_EVENTS_STORE = "order-applied-events";
    public static final String ORDER_DEADLINES_STORE = "order-deadlines";
    public static final String SKU_DEADLINES_STORE = "sku-deadlines";

    private final Topics topics;
    private final InventoryRules rules;
    private final boolean partialOrders;
    private final Duration reservationExpiry;
    private final Duration dedupeRetention;
    private final int decodedValuesMax;

    /**
     * @param dedupeRetention  how long an applied event's id, and a closed order, is remembered to drop a duplicate of it
     * @param decodedValuesMax how many ledgers, and how many orders, each task keeps decoded ({@link DecodedValues})
     */
    public InventoryTopology(Topics topics, InventoryRules rules, boolean partialOrders, Duration reservationExpiry,
                             Duration dedupeRetention, int decodedValuesMax) {
        this.topics = topics;
        this.rules = rules;
        this.partialOrders = partialOrders;
        this.reservationExpiry = reservationExpiry;
        this.dedupeRetention = dedupeRetention;
        this.decodedValuesMax = decodedValuesMax;
    }

    /**
     * Topics whose partitions must correspond one to one: a SKU's stock movements and its ledger commands
     * must reach the same task (one task owns a SKU's ledger), as must an order's events and its line
     * answers. Kafka Streams checks this for joins only; the service checks these at start.
     */
    public List<List<String>> coPartitionedTopics() {
        return List.of(
                List.of(topics.stockMovements().name(), topics.ledgerCommands().name()),
                List.of(topics.orders().name(), topics.lineAnswers().name()));
    }

    public Topology build() {
        StreamsBuilder builder = new StreamsBuilder();
        // Cached: a key written many times between two commits reaches RocksDB and its changelog once.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(LEDGER_STORE), Serdes.String(), StoreValueSerde.of(SkuLedger.class)).withCachingEnabled());
        // Not cached: a line's reservation is written when it is reserved and next when it ships, commits apart,
        // so a cache would coalesce nothing and only add its sorted map and a write-out at every commit.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(RESERVATION_STORE), Serdes.String(), StoreValueSerde.of(Allocation[].class)));
        builder.addStateStore(appliedEventsStore(APPLIED_EVENTS_STORE));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ORDER_STORE), Serdes.String(), StoreValueSerde.of(OrderReservation.class)).withCachingEnabled());
        builder.addStateStore(appliedEventsStore(ORDER_APPLIED_EVENTS_STORE));
        // Not cached: read in key (due time) order by punctuations, and each entry is written once.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ORDER_DEADLINES_STORE), Serdes.String(), Serdes.String()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SKU_DEADLINES_STORE), Serdes.String(), Serdes.String()));

        // Order side, keyed by orderId.
        KStream<String, OrderInput> orderEvents = stream(builder, topics.orders()).mapValues(read -> new OrderInput.Event(read.value(), read.bytes()));
        KStream<String, OrderInput> lineAnswers = stream(builder, topics.lineAnswers()).mapValues(read -> new OrderInput.Answer(read.value(), read.bytes()));
        KStream<String, Output> fromOrders = orderEvents.merge(lineAnswers)
                .process(() -> new OrderProcessor(partialOrders, reservationExpiry, dedupeRetention, decodedValuesMax),
                        ORDER_STORE, ORDER_APPLIED_EVENTS_STORE, ORDER_DEADLINES_STORE);

        // SKU side, keyed by SKU. Settings are keyed "sku" or "sku@location": re-keyed to the SKU first.
        KStream<String, LedgerInput> stock = stream(builder, topics.stockMovements()).mapValues(read -> new LedgerInput.Stock(read.value(), read.bytes()));
        KStream<String, LedgerInput> lineCommands = stream(builder, topics.ledgerCommands()).mapValues(read -> new LedgerInput.Line(read.value(), read.bytes()));
        KStream<String, LedgerInput> settings = stream(builder, topics.inventorySettings())
                .filter((key, read) -> read != null)
                .selectKey((key, read) -> read.value().getSku())
                .repartition(Repartitioned.with(Serdes.String(), Read.serde(topics.inventorySettings().valueSerde()))
                        .withName("settings-by-sku"))
                .mapValues(read -> new LedgerInput.Settings(read.value(), read.bytes()));
        KStream<String, Output> fromLedgers = stock.merge(lineCommands).merge(settings)
                .process(() -> new LedgerProcessor(rules, dedupeRetention, decodedValuesMax),
                        LEDGER_STORE, RESERVATION_STORE, APPLIED_EVENTS_STORE, SKU_DEADLINES_STORE);

        KStream<String, Output> outputs = fromOrders.merge(fromLedgers);
        route(outputs, Output.DecisionMade.class, topics.orderDecisions(), Output.DecisionMade::decision);
        route(outputs, Output.StatusChanged.class, topics.orderStatus(), Output.StatusChanged::change);
        route(outputs, Output.LedgerInstruction.class, topics.ledgerCommands(), Output.LedgerInstruction::command);
        route(outputs, Output.PositionChanged.class, topics.inventoryAvailability(), Output.PositionChanged::position);
        route(outputs, Output.AlertRaised.class, topics.inventoryAlerts(), Output.AlertRaised::alert);
        route(outputs, Output.LineAnswered.class, topics.lineAnswers(), Output.LineAnswered::answer);
        outputs.filter((key, value) -> value instanceof Output.DeadLetter)
                .processValues(DeadLetterHeadersProcessor::new)
                .map((key, value) -> KeyValue.pair(key == null ? null : key.getBytes(StandardCharsets.UTF_8), value))
                .to(topics.deadLetters().name(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        return builder.build();
    }

    /**
     * Applied event ids by their event time ({@link WindowedAppliedEvents}); ids a retention old expire with
     * their segment. Not cached: an id is written once, so a cache would coalesce nothing and only move
     * every write into the commit, where it stalls the thread.
     */
    private StoreBuilder<WindowStore<Bytes, Long>> appliedEventsStore(String name) {
        return Stores.windowStoreBuilder(Stores.persistentWindowStore(name, dedupeRetention, Duration.ofMillis(1), false),
                Serdes.Bytes(), Serdes.Long());
    }

    private static <V> KStream<String, Read<V>> stream(StreamsBuilder builder, TopicSpec<String, V> topic) {
        return builder.stream(topic.name(), Consumed.with(topic.keySerde(), Read.serde(topic.valueSerde())));
    }

    private static <T extends Output, V> void route(KStream<String, Output> outputs, Class<T> kind, TopicSpec<String, V> topic,
                                                    java.util.function.Function<T, V> value) {
        outputs.filter((key, output) -> kind.isInstance(output))
                .mapValues(output -> value.apply(kind.cast(output)))
                .to(topic.name(), Produced.with(topic.keySerde(), topic.valueSerde()));
    }

    /** Puts the reason and the source coordinates in the headers; the value stays the original bytes. */
    private static final class DeadLetterHeadersProcessor implements FixedKeyProcessor<String, Output, byte[]> {
        private FixedKeyProcessorContext<String, byte[]> context;

        @Override
        public void init(FixedKeyProcessorContext<String, byte[]> context) {
            this.context = context;
        }

        @Override
        public void process(FixedKeyRecord<String, Output> record) {
            Output.DeadLetter letter = (Output.DeadLetter) record.value();
            RecordHeaders headers = new RecordHeaders();
            headers.add(DeadLetterHeaders.EXCEPTION, DeadLetterHeaders.REJECTED_BY_RULE.getBytes(StandardCharsets.UTF_8));
            headers.add(DeadLetterHeaders.MESSAGE, letter.reason().getBytes(StandardCharsets.UTF_8));
            headers.add(DeadLetterHeaders.TOPIC, letter.topic().getBytes(StandardCharsets.UTF_8));
            headers.add(DeadLetterHeaders.PARTITION, Integer.toString(letter.partition()).getBytes(StandardCharsets.UTF_8));
            headers.add(DeadLetterHeaders.OFFSET, Long.toString(letter.offset()).getBytes(StandardCharsets.UTF_8));
            context.forward(record.withValue(letter.value()).withHeaders(headers));
        }
    }

    /** Turns a record a processor rejects into a dead letter: the bytes it was read from, the reason and its origin. */
    static final class Rejections {
        private static final Logger log = LoggerFactory.getLogger(Rejections.class);

        static Output.DeadLetter letter(ProcessorContext<?, ?> context, byte[] original, String reason) {
            RecordMetadata source = context.recordMetadata().orElseThrow();
            log.warn("Rejected a record of {} partition {} offset {}: {}", source.topic(), source.partition(), source.offset(), reason);
            return new Output.DeadLetter(original, reason, source.topic(), source.partition(), source.offset());
        }
    }
}
