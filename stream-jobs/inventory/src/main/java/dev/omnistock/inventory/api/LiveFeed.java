package dev.omnistock.inventory.api;

import dev.omnistock.config.KafkaConnection;
import dev.omnistock.topics.TopicSpec;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.sse.SseClient;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import dev.omnistock.serde.SchemaRegistryUnavailableException;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live feed of one topic's records as Server-Sent Events, for clients that follow some keys or all:
 * the availability feed (keys are SKUs) and an order's status feed (keys are order ids). Every
 * instance reads every partition of the topic from its end, so a feed opened on any instance covers
 * every key.
 *
 * <p>Each feed has its own isolation level, as what it tells allows. The availability feed reads changes
 * as they are sent ({@code read_uncommitted}), not when their transaction commits: like the
 * availability lookup, which reads the stores as processed, it then shows a change within milliseconds
 * instead of after the next commit; should an instance fail before it commits, the instance taking
 * over recomputes the positions and the feed sends them again, under the same versions. An order's
 * feed reads committed changes only ({@code read_committed}): a change an abort takes back can come
 * back different (an expiry is decided by the wall clock) under the same sequence number, and a
 * customer must not be told of it.
 *
 * <p>It writes the Server-Sent Events of one poll's changes together and flushes once per poll:
 * Javalin's {@code sendEvent} flushes (a system call) and allocates buffers for every event, which at
 * thousands of changes a second took CPU the stream thread needed. It writes without blocking, and
 * closes a client that falls too far behind (browsers' EventSource reconnects).
 *
 * <p>A heartbeat comment goes to every client at a fixed interval: proxies and load balancers close
 * connections idle for a minute or so, a feed of a few SKUs can be quiet for longer, and only a write
 * finds out that a client has gone.
 */
final class LiveFeed<V> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An SSE comment: EventSource ignores it. */
    private static final String HEARTBEAT = ": heartbeat\n\n";

    /**
     * One SSE client. Its response is written without blocking (a write listener puts the servlet
     * stream in non-blocking mode): a client that stops reading must not hold up the feed's one thread,
     * and so every other client. What it cannot take yet waits in {@code pending} for the next poll.
     */
    private record Subscriber<V>(SseClient client, Set<String> keys, Predicate<? super V> admits, PendingEvents pending, AtomicBoolean failed) {
        boolean wants(String key) {
            return keys.isEmpty() || keys.contains(key);
        }

        /** Writes what is pending if the client can take it now; false when the client has gone. */
        boolean flush() {
            if (failed.get()) {
                return false;
            }
            if (pending.isEmpty()) {
                return true;
            }
            try {
                ServletOutputStream out = client.ctx().res().getOutputStream();
                if (!out.isReady()) {
                    return true;
                }
                out.write(pending.take());
                if (out.isReady()) {
                    out.flush();
                }
                return true;
            } catch (IOException | IllegalStateException e) {
                return false;
            }
        }
    }

    private final List<Subscriber<V>> subscribers = new CopyOnWriteArrayList<>();
    /** Changes not yet written to a subscriber beyond this drop it: it is not reading, or not keeping up. */
    private final int maxPendingChars;
    /** Each client holds a connection and a buffer: beyond this many, new ones are turned away. */
    private final int maxSubscribers;
    private final long heartbeatNanos;
    private long lastHeartbeat = System.nanoTime();
    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<V> values;
    private final Function<V, Frame> frames;
    private final String name;
    private final String keysLabel;
    private final TopicReaderThread reader;

    /** What one record becomes: the event's name, its id (for EventSource's Last-Event-ID) and its JSON data. */
    record Frame(String event, String id, Object data) {
    }

    /**
     * @param name      what the feed carries, for thread names and logs, e.g. "availability"
     * @param keysLabel what the keys are, in the "ready" event that tells a client what it follows, e.g. "skus"
     * @param isolation whether it sends changes as sent or once committed (see the class comment)
     * @param frames    turns a record's value into the event clients get
     */
    LiveFeed(String name, String keysLabel, KafkaConnection kafka, IsolationLevel isolation, TopicSpec<String, V> topic, Function<V, Frame> frames,
             int maxPendingChars, Duration heartbeat, int maxSubscribers) {
        this.name = name;
        this.keysLabel = keysLabel;
        this.frames = frames;
        this.maxPendingChars = maxPendingChars;
        this.maxSubscribers = maxSubscribers;
        this.heartbeatNanos = heartbeat.toNanos();
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Values stay bytes until a subscriber wants the record's key: with no client, or clients that follow
        // a few keys, most records are never decoded (the availability feed's thread took a noticeable share
        // of the JVM's CPU with no client at all when it decoded every one).
        this.consumer = topic.consumerFromEnd(props, new ByteArrayDeserializer()); // changes from here on are sent
        this.values = topic.valueSerde().deserializer();
        this.reader = new TopicReaderThread(name + "-feed", "the " + name + " feed's changes", consumer, this::pollOnce);
    }

    boolean full() {
        return subscribers.size() >= maxSubscribers;
    }

    int maxSubscribers() {
        return maxSubscribers;
    }

    /** False once the reader has stopped for good (only on close). */
    boolean running() {
        return reader.running();
    }

    /**
     * Adds an SSE client; an empty set means every key.
     *
     * @param admits which of its keys' records the client may see (a storefront's key: its channel's orders)
     */
    void subscribe(SseClient client, Set<String> keys, Predicate<? super V> admits) {
        if (full()) { // two clients may pass the API's check at once
            client.close();
            return;
        }
        Subscriber<V> subscriber = new Subscriber<>(client, Set.copyOf(keys), admits, new PendingEvents(), new AtomicBoolean());
        client.onClose(() -> subscribers.remove(subscriber));
        client.keepAlive();
        try {
            client.ctx().res().getOutputStream().setWriteListener(new WriteListener() {
                @Override
                public void onWritePossible() {
                    // the feed's thread writes what is pending at its next poll, within 100 ms
                }

                @Override
                public void onError(Throwable error) {
                    subscriber.failed().set(true);
                }
            });
        } catch (IOException e) {
            client.close();
            return;
        }
        // Sent before the subscriber joins, so that only the reader thread writes to it from then on.
        subscriber.pending().append(frame(new Frame("ready", null, Map.of(keysLabel, keys.isEmpty() ? "all" : keys))));
        if (subscriber.flush()) {
            subscribers.add(subscriber);
        } else {
            client.close();
        }
    }

    private void pollOnce() {
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
        List<TopicPartition> partitions = List.copyOf(records.partitions());
        for (int p = 0; p < partitions.size(); p++) {
            for (ConsumerRecord<String, byte[]> record : records.records(partitions.get(p))) {
                try {
                    send(record);
                } catch (SchemaRegistryUnavailableException e) {
                    // Read this record, and every one not yet sent, again once the registry answers.
                    consumer.seek(partitions.get(p), record.offset());
                    for (TopicPartition later : partitions.subList(p + 1, partitions.size())) {
                        consumer.seek(later, records.records(later).get(0).offset());
                    }
                    throw e;
                }
            }
        }
        writeToSubscribers();
    }

    private void send(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        Decoded<V> decoded = null;
        for (Subscriber<V> subscriber : subscribers) {
            if (subscriber.wants(record.key())) {
                if (decoded == null) {
                    decoded = decodeOrSkip(record);
                    if (decoded == null) {
                        return;
                    }
                }
                if (subscriber.admits().test(decoded.value())) {
                    subscriber.pending().append(decoded.frame());
                }
            }
        }
    }

    private record Decoded<V>(V value, String frame) {
    }

    /** The record's value and frame; null for a record that is unreadable in itself, which the feed skips. */
    private Decoded<V> decodeOrSkip(ConsumerRecord<String, byte[]> record) {
        try {
            V value = values.deserialize(record.topic(), record.headers(), record.value());
            return new Decoded<>(value, frame(frames.apply(value)));
        } catch (SchemaRegistryUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            log.warn("The {} feed skipped a change it cannot read ({} partition {} offset {}): {}",
                    name, record.topic(), record.partition(), record.offset(), e.getMessage());
            return null;
        }
    }

    private void writeToSubscribers() {
        long now = System.nanoTime();
        boolean heartbeat = now - lastHeartbeat >= heartbeatNanos;
        if (heartbeat) {
            lastHeartbeat = now;
        }
        for (Subscriber<V> subscriber : subscribers) {
            if (heartbeat && subscriber.pending().isEmpty()) {
                subscriber.pending().append(HEARTBEAT);
            }
            boolean open = subscriber.flush();
            if (open && subscriber.pending().length() > maxPendingChars) {
                log.warn("Closed a feed client that had not taken {} characters of changes; it may reconnect.",
                        subscriber.pending().length());
                open = false;
            }
            if (!open) {
                subscribers.remove(subscriber);
                subscriber.client().close();
            }
        }
    }

    /** One Server-Sent Event; JSON has no raw line breaks, so the data is one line. */
    private static String frame(Frame frame) {
        try {
            return (frame.id() == null ? "" : "id: " + frame.id() + "\n") + "event: " + frame.event() + "\ndata: "
                    + JSON.writeValueAsString(frame.data()) + "\n\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write " + frame.data() + " as JSON", e);
        }
    }

    @Override
    public void close() {
        reader.close();
        subscribers.forEach(s -> s.client().close());
    }
}
