package dev.omnistock.inventory.api;

import dev.omnistock.config.KafkaConnection;
import dev.omnistock.events.InventoryPosition;
import dev.omnistock.topics.TopicSpec;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.sse.SseClient;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live availability feed. Every instance reads every partition of the availability topic from
 * its end, so a feed opened on any instance covers every SKU.
 *
 * <p>It reads changes as they are sent, not when their transaction commits: like the API, which reads
 * the stores as processed, the feed then shows a change within milliseconds instead of after the next
 * commit. Should an instance fail before it commits, the instance taking over recomputes the same
 * changes and the feed sends them again, under the same versions.
 *
 * <p>It writes the Server-Sent Events of one poll's changes into the server's buffer and flushes once
 * per poll: Javalin's {@code sendEvent} flushes (a system call) and allocates buffers for every event,
 * which at thousands of changes a second took CPU the stream thread needed. It writes without
 * blocking, and closes a client that falls too far behind (browsers' EventSource reconnects).
 *
 * <p>A heartbeat comment goes to every client at a fixed interval: proxies and load balancers close
 * connections idle for a minute or so, a feed of a few SKUs can be quiet for longer, and only a write
 * finds out that a client has gone.
 */
final class AvailabilityFeed implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AvailabilityFeed.class);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An SSE comment: EventSource ignores it. */
    private static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(StandardCharsets.UTF_8);

    /**
     * One SSE client. Its response is written without blocking (a write listener puts the servlet
     * stream in non-blocking mode): a client that stops reading must not hold up the feed's one thread,
     * and so every other client. The events it cannot take yet wait in {@code pending}; an event is
     * encoded once and the same bytes wait for every client that wants it.
     */
    private static final class Subscriber {
        private final SseClient client;
        private final Set<String> skus;
        private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
        private final AtomicBoolean failed = new AtomicBoolean();
        private long pendingBytes;

        Subscriber(SseClient client, Set<String> skus) {
            this.client = client;
            this.skus = skus;
        }

        boolean wants(String sku) {
            return skus.isEmpty() || skus.contains(sku);
        }

        void add(byte[] event) {
            pending.add(event);
            pendingBytes += event.length;
        }

        /** Writes what the client can take now; false once it has gone. */
        boolean flush() {
            if (failed.get()) {
                return false;
            }
            try {
                ServletOutputStream out = client.ctx().res().getOutputStream();
                boolean wrote = false;
                while (!pending.isEmpty() && out.isReady()) {
                    byte[] event = pending.poll();
                    pendingBytes -= event.length;
                    out.write(event); // collected in the server's buffer, sent when it fills or at the flush
                    wrote = true;
                }
                if (wrote && out.isReady()) {
                    out.flush();
                }
                return true;
            } catch (IOException | IllegalStateException e) {
                return false;
            }
        }
    }

    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    /** Changes not yet written to a subscriber beyond this drop it: it is not reading, or not keeping up. */
    private final long maxPendingBytes;
    private final long heartbeatNanos;
    private long lastHeartbeat = System.nanoTime();
    private final KafkaConsumer<String, InventoryPosition> consumer;
    private final Thread reader;
    private volatile boolean running = true;

    AvailabilityFeed(KafkaConnection kafka, TopicSpec<String, InventoryPosition> topic, long maxPendingBytes,
                     Duration heartbeat) {
        this.maxPendingBytes = maxPendingBytes;
        this.heartbeatNanos = heartbeat.toNanos();
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"); // see the class comment
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // fix the start now: changes from here on are sent
        this.reader = new Thread(this::run, "availability-feed");
        reader.setDaemon(true);
        reader.start();
    }

    /** Adds an SSE client; an empty set means every SKU. */
    void subscribe(SseClient client, Set<String> skus) {
        Subscriber subscriber = new Subscriber(client, Set.copyOf(skus));
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
                    subscriber.failed.set(true);
                }
            });
        } catch (IOException e) {
            client.close();
            return;
        }
        // Sent before the subscriber joins, so that only the reader thread writes to it from then on.
        subscriber.add(event("ready", null, Map.of("skus", skus.isEmpty() ? "all" : skus)));
        if (subscriber.flush()) {
            subscribers.add(subscriber);
        } else {
            client.close();
        }
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, InventoryPosition> record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.value() == null) {
                        continue;
                    }
                    AvailabilityView view = AvailabilityView.from(record.value());
                    byte[] event = null;
                    for (Subscriber subscriber : subscribers) {
                        if (subscriber.wants(view.sku())) {
                            event = event != null ? event : event("availability", Long.toString(view.version()), view);
                            subscriber.add(event);
                        }
                    }
                }
                boolean heartbeat = System.nanoTime() - lastHeartbeat >= heartbeatNanos;
                if (heartbeat) {
                    lastHeartbeat = System.nanoTime();
                }
                for (Subscriber subscriber : subscribers) {
                    if (heartbeat && subscriber.pending.isEmpty()) {
                        subscriber.add(HEARTBEAT);
                    }
                    boolean open = subscriber.flush();
                    if (open && subscriber.pendingBytes > maxPendingBytes) {
                        log.warn("Closed a feed client that had not taken {} bytes of changes; it may reconnect.",
                                subscriber.pendingBytes);
                        open = false;
                    }
                    if (!open) {
                        subscribers.remove(subscriber);
                        subscriber.client.close();
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("The availability feed stopped: {}. Restart the service to resume the feed.", e.getMessage(), e);
        } finally {
            consumer.close();
        }
    }

    /** One Server-Sent Event; JSON has no raw line breaks, so the data is one line. */
    private static byte[] event(String event, String id, Object data) {
        try {
            return ((id == null ? "" : "id: " + id + "\n") + "event: " + event + "\ndata: " + JSON.writeValueAsString(data) + "\n\n")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write " + data + " as JSON", e);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        subscribers.forEach(s -> s.client.close());
    }
}
