package dev.omnistock.ingestion.tools;

import dev.omnistock.config.Config;
import dev.omnistock.config.KafkaConnection;
import dev.omnistock.topics.TopicSpec;
import dev.omnistock.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Prints the latest events of a topic, decoded: {@code ShowEvents TOPIC [N]}, TOPIC one of orders,
 * stock-movements, inventory-settings, inventory-availability, inventory-alerts, order-decisions
 * (without the OMNISTOCK_TOPIC_PREFIX). Connection settings come from the environment.
 */
public final class ShowEvents {

    private ShowEvents() {
    }

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: ShowEvents TOPIC [N]   (orders, stock-movements, inventory-settings, "
                    + "inventory-availability, inventory-alerts, order-decisions)");
            System.exit(2);
        }
        Config config = Config.fromEnvironment();
        Topics topics = Topics.from(config);
        String prefix = config.get(Topics.PREFIX, "");
        TopicSpec<?, ?> topic = topics.all().stream().filter(t -> t.name().equals(prefix + args[0]) && t.valueSchema().isPresent())
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no Avro topic called " + args[0]));
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        for (ConsumerRecord<?, ?> record : latest(KafkaConnection.from(config), topic, n)) {
            System.out.printf("%s[%d]@%d  %s  %s%n", record.topic(), record.partition(), record.offset(), record.key(), record.value());
        }
    }

    private static <K, V> List<ConsumerRecord<K, V>> latest(KafkaConnection kafka, TopicSpec<K, V> topic, int n) {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            // The last n of each partition, so that the newest n overall are among them.
            partitions.forEach(p -> consumer.seek(p, Math.max(begin.get(p), end.get(p) - n)));
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        records.sort(Comparator.comparingLong(ConsumerRecord::timestamp));
        return records.subList(Math.max(0, records.size() - n), records.size());
    }
}
