package dev.omnistock.inventory.api;

import dev.omnistock.config.KafkaConnection;
import dev.omnistock.events.InventoryPosition;
import dev.omnistock.topics.TopicSpec;
import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
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
 */
final class AvailabilityFeed implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AvailabilityFeed.class);

    private record Subscriber(SseClient client, Set<String> skus) {
        boolean wants(String sku) {
            return skus.isEmpty() || skus.contains(sku);
        }
    }

    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final KafkaConsumer<String, InventoryPosition> consumer;
    private final Thread reader;
    private volatile boolean running = true;

    AvailabilityFeed(KafkaConnection kafka, TopicSpec<String, InventoryPosition> topic) {
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
        subscribers.add(subscriber);
        client.onClose(() -> subscribers.remove(subscriber));
        client.keepAlive();
        client.sendEvent("ready", Map.of("skus", skus.isEmpty() ? "all" : skus));
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, InventoryPosition> record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.value() == null) {
                        continue;
                    }
                    AvailabilityView view = AvailabilityView.from(record.value());
                    for (Subscriber subscriber : subscribers) {
                        if (subscriber.wants(view.sku())) {
                            subscriber.client().sendEvent("availability", view, Long.toString(view.version()));
                        }
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

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        subscribers.forEach(s -> s.client().close());
    }
}
