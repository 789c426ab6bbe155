package dev.omnistock.inventory.bench;

import dev.omnistock.events.OrderCancelled;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.OrderPlaced;
import dev.omnistock.events.OrderShipped;
import dev.omnistock.events.ReturnReceived;
import dev.omnistock.topics.Topics;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The inventory service's flow with its rules taken out, to measure what the flow's shape costs in
 * Kafka Streams: the same input topics; an order side keyed by orderId that sends one record per line
 * to the line's SKU; a SKU side that takes those and the stock movements, writes a position for each,
 * and answers every placed line to its order; and the order's answers gathered until its decision.
 * Each step reads and writes a cached RocksDB store, under exactly-once, as the service's do. Its
 * rules are a counter: whatever the service's rules cost comes on top of this job's time.
 *
 * <p>The answers go to a gathering step of their own instead of back into the order side (which the
 * service does through a topic of its own): the same records and store look-ups, without a cycle in
 * the topology.
 */
final class FlowSkeleton {

    private static final String NO_ANSWER = "";

    private FlowSkeleton() {
    }

    /** Names of the two output topics, which must exist before the job starts. */
    static String positionsTopic(Topics topics) {
        return topics.orders().name() + "-skeleton-positions";
    }

    static String decisionsTopic(Topics topics) {
        return topics.orders().name() + "-skeleton-decisions";
    }

    static Topology build(Topics topics) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("orders"), Serdes.String(), Serdes.String())
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("ledgers"), Serdes.String(), Serdes.Long())
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("answers"), Serdes.String(), Serdes.Long())
                .withCachingEnabled());

        KStream<String, String> lines = builder.stream(topics.orders().name(), Consumed.with(Serdes.String(), topics.orders().valueSerde()))
                .process(OrderSide::new, "orders")
                .repartition(Repartitioned.with(Serdes.String(), Serdes.String()).withName("lines"));
        KStream<String, String> stock = builder.stream(topics.stockMovements().name(),
                        Consumed.with(Serdes.String(), topics.stockMovements().valueSerde()))
                .mapValues(event -> NO_ANSWER);
        KStream<String, String> fromLedgers = stock.merge(lines).process(SkuSide::new, "ledgers");
        fromLedgers.filter((sku, value) -> value.startsWith("P"))
                .to(positionsTopic(topics), Produced.with(Serdes.String(), Serdes.String()));
        fromLedgers.filter((orderId, value) -> value.startsWith("A"))
                .repartition(Repartitioned.with(Serdes.String(), Serdes.String()).withName("answers"))
                .process(Gathering::new, "answers")
                .to(decisionsTopic(topics), Produced.with(Serdes.String(), Serdes.String()));
        return builder.build();
    }

    /** Keyed by orderId: remembers a placed order's SKUs and sends each line to its SKU. */
    private static final class OrderSide extends OneStore<OrderEvent, String> {
        OrderSide() {
            super("orders");
        }

        @Override
        public void process(Record<String, OrderEvent> record) {
            String orderId = record.key();
            Object payload = record.value().getPayload();
            List<String> skus = new ArrayList<>();
            String answerTo = NO_ANSWER;
            if (payload instanceof OrderPlaced placed) {
                if (store.get(orderId) != null) {
                    return;
                }
                placed.getLines().forEach(line -> skus.add(line.getSku()));
                store.put(orderId, String.join(",", skus));
                answerTo = orderId + "/" + skus.size();
            } else if (payload instanceof OrderCancelled) {
                String placedSkus = store.get(orderId);
                if (placedSkus != null) {
                    skus.addAll(List.of(placedSkus.split(",")));
                }
            } else if (payload instanceof OrderShipped shipped) {
                shipped.getLines().forEach(line -> skus.add(line.getSku()));
            } else if (payload instanceof ReturnReceived returned) {
                returned.getLines().forEach(line -> skus.add(line.getSku()));
            }
            for (String sku : skus) {
                context.forward(record.withKey(sku).withValue(answerTo));
            }
        }
    }

    /** Keyed by SKU: counts every change in the SKU's store, writes a position, answers a placed line. */
    private static final class SkuSide extends OneStore<String, Long> {
        SkuSide() {
            super("ledgers");
        }

        @Override
        public void process(Record<String, String> record) {
            context.forward(record.withValue("P" + increment(store, record.key())));
            String answerTo = record.value();
            if (!answerTo.isEmpty()) {
                int slash = answerTo.lastIndexOf('/');
                context.forward(record.withKey(answerTo.substring(0, slash)).withValue("A" + answerTo.substring(slash + 1)));
            }
        }
    }

    /** Keyed by orderId: counts an order's answers and decides it when the last one arrives. */
    private static final class Gathering extends OneStore<String, Long> {
        Gathering() {
            super("answers");
        }

        @Override
        public void process(Record<String, String> record) {
            if (increment(store, record.key()) == Long.parseLong(record.value().substring(1))) {
                context.forward(record.withValue("ACCEPTED"));
            }
        }
    }

    /** A processor of this job: string keys and outputs, and the one store it reads and writes. */
    private abstract static class OneStore<V, S> implements Processor<String, V, String, String> {
        private final String storeName;
        ProcessorContext<String, String> context;
        KeyValueStore<String, S> store;

        OneStore(String storeName) {
            this.storeName = storeName;
        }

        @Override
        public void init(ProcessorContext<String, String> context) {
            this.context = context;
            this.store = context.getStateStore(storeName);
        }
    }

    /** The rules of this job: one read and one write of the key's counter. */
    private static long increment(KeyValueStore<String, Long> store, String key) {
        Long before = store.get(key);
        long now = before == null ? 1 : before + 1;
        store.put(key, now);
        return now;
    }
}
