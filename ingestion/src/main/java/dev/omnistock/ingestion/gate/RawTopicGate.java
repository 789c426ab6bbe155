package dev.omnistock.ingestion.gate;

import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.StockEvent;
import dev.omnistock.topics.DeadLetterHeaders;
import dev.omnistock.topics.TopicSpec;
import dev.omnistock.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import dev.omnistock.serde.SchemaRegistryUnavailableException;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate between systems that write to Kafka themselves and the canonical topics:
 * <pre>
 * raw.orders          ─▶ decode + check ─┬─▶ orders            (the original bytes, unchanged)
 * raw.stock-movements ─▶ decode + check ─┼─▶ stock-movements
 *                                         └─▶ dead-letter       (original bytes; reason and origin in headers)
 * </pre>
 * The original bytes go on, not a re-encoding, so fields of a newer schema version survive.
 */
public final class RawTopicGate {

    private static final Logger log = LoggerFactory.getLogger(RawTopicGate.class);

    /** Reads a record's value and returns what is wrong with it (empty: nothing). */
    interface Check {
        List<String> problems(String key, byte[] value, String topic);
    }

    private final Topics topics;

    public RawTopicGate(Topics topics) {
        this.topics = topics;
    }

    public Topology build() {
        Topology topology = new Topology();
        Deserializer<OrderEvent> orders = topics.orders().valueSerde().deserializer();
        Deserializer<StockEvent> stock = topics.stockMovements().valueSerde().deserializer();
        gate(topology, topics.rawOrders(), topics.orders(),
                (key, value, topic) -> CanonicalChecks.problems(key, orders.deserialize(topic, value)));
        gate(topology, topics.rawStockMovements(), topics.stockMovements(),
                (key, value, topic) -> CanonicalChecks.problems(key, stock.deserialize(topic, value)));
        topology.addSink("dead-letter", topics.deadLetters().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer(),
                topics.rawOrders().name() + "-gate", topics.rawStockMovements().name() + "-gate");
        return topology;
    }

    private static void gate(Topology topology, TopicSpec<byte[], byte[]> raw, TopicSpec<String, ?> canonical, Check check) {
        String source = raw.name() + "-source";
        String gate = raw.name() + "-gate";
        String sink = canonical.name() + "-sink";
        topology.addSource(source, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), raw.name());
        topology.addProcessor(gate, () -> new GateProcessor(check, sink), source);
        topology.addSink(sink, canonical.name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer(), gate);
    }

    private static final class GateProcessor implements Processor<byte[], byte[], byte[], byte[]> {
        private final Check check;
        private final String canonicalSink;
        private ProcessorContext<byte[], byte[]> context;

        GateProcessor(Check check, String canonicalSink) {
            this.check = check;
            this.canonicalSink = canonicalSink;
        }

        @Override
        public void init(ProcessorContext<byte[], byte[]> context) {
            this.context = context;
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            RecordMetadata origin = context.recordMetadata().orElseThrow();
            String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
            String kind;
            String reason;
            try {
                if (record.value() == null) {
                    throw new IllegalArgumentException("the record has no value");
                }
                List<String> problems = check.problems(key, record.value(), origin.topic());
                if (problems.isEmpty()) {
                    context.forward(record, canonicalSink);
                    return;
                }
                kind = DeadLetterHeaders.REJECTED_BY_RULE;
                reason = String.join("; ", problems);
            } catch (RuntimeException e) {
                if (SchemaRegistryUnavailableException.isTransient(e)) {
                    throw e; // the registry is away, not the record bad: the thread is replaced and reads it again
                }
                kind = e.getClass().getName();
                reason = e.getMessage();
            }
            log.warn("Dead-lettered {}[{}]@{}: {}", origin.topic(), origin.partition(), origin.offset(), reason);
            RecordHeaders headers = new RecordHeaders();
            headers.add(DeadLetterHeaders.EXCEPTION, kind.getBytes(StandardCharsets.UTF_8));
            headers.add(DeadLetterHeaders.MESSAGE, String.valueOf(reason).getBytes(StandardCharsets.UTF_8));
            headers.add(DeadLetterHeaders.TOPIC, origin.topic().getBytes(StandardCharsets.UTF_8));
            headers.add(DeadLetterHeaders.PARTITION, Integer.toString(origin.partition()).getBytes(StandardCharsets.UTF_8));
            headers.add(DeadLetterHeaders.OFFSET, Long.toString(origin.offset()).getBytes(StandardCharsets.UTF_8));
            context.forward(record.withHeaders(headers), "dead-letter");
        }
    }
}
