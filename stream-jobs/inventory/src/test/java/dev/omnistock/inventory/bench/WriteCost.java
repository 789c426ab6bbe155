package dev.omnistock.inventory.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.apache.kafka.common.Metric;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What a pass of a Kafka Streams application asked of the broker, per input event: the records its
 * producers wrote (outputs, internal topics and changelogs), its commits (each one a transaction), and
 * the broker's CPU when the broker is the local stack's (its pid file is read). On two cores shared with
 * the broker, the broker's work for each record written is taken from the application's CPU. The records
 * are also told by topic, and per produce request: the broker's work goes with requests and the
 * partitions in them more than with bytes.
 */
final class WriteCost {

    private static final Path BROKER_PID = Path.of(".local-stack", "kafka.pid");
    /** Linux reports process CPU in clock ticks of 1/100 s (USER_HZ). */
    private static final double TICK_SECONDS = 0.01;

    private final KafkaStreams streams;
    private final double recordsAtStart;
    private final double commitsAtStart;
    private final double produceRequestsAtStart;
    private final Map<String, Double> recordsByTopicAtStart;
    private final Map<String, Double> bytesByTopicAtStart;
    private final OptionalLong brokerTicksAtStart;

    WriteCost(KafkaStreams streams) {
        this.streams = streams;
        this.recordsAtStart = sum("producer-metrics", "record-send-total");
        this.commitsAtStart = sum("stream-thread-metrics", "commit-total");
        this.produceRequestsAtStart = sum("producer-node-metrics", "request-total");
        this.recordsByTopicAtStart = byTopic("record-send-total");
        this.bytesByTopicAtStart = byTopic("byte-total");
        this.brokerTicksAtStart = brokerTicks();
    }

    String perInputEvent(long inputEvents) {
        double records = (sum("producer-metrics", "record-send-total") - recordsAtStart) / inputEvents;
        double commits = sum("stream-thread-metrics", "commit-total") - commitsAtStart;
        OptionalLong brokerTicks = brokerTicks();
        String broker = brokerTicksAtStart.isPresent() && brokerTicks.isPresent()
                ? String.format("broker CPU %.1f µs", (brokerTicks.getAsLong() - brokerTicksAtStart.getAsLong()) * TICK_SECONDS * 1e6 / inputEvents)
                : "broker CPU not measured (not the local stack's broker)";
        double produceRequests = sum("producer-node-metrics", "request-total") - produceRequestsAtStart;
        return String.format("%.2f records written, %s per input event; %.0f commits; %.1f records per request to the broker; "
                + "per input event by topic, records and bytes: %s", records, broker, commits, records * inputEvents / produceRequests, byTopic(inputEvents));
    }

    /** Each topic written in the pass, most bytes first. */
    private String byTopic(long inputEvents) {
        Map<String, Double> records = since(byTopic("record-send-total"), recordsByTopicAtStart);
        Map<String, Double> bytes = since(byTopic("byte-total"), bytesByTopicAtStart);
        return bytes.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
                .map(e -> String.format("%s %.2f %,.0f B", shortName(e.getKey()), records.getOrDefault(e.getKey(), 0.0) / inputEvents,
                        e.getValue() / inputEvents))
                .collect(Collectors.joining(", "));
    }

    private static Map<String, Double> since(Map<String, Double> now, Map<String, Double> atStart) {
        Map<String, Double> delta = new HashMap<>();
        now.forEach((topic, total) -> delta.put(topic, total - atStart.getOrDefault(topic, 0.0)));
        return delta;
    }

    /** The run's prefix (up to the first dot) is the same on every topic; it says nothing. */
    private static String shortName(String topic) {
        return topic.substring(topic.indexOf('.') + 1);
    }

    private Map<String, Double> byTopic(String metricName) {
        Map<String, Double> byTopic = new HashMap<>();
        for (Metric metric : streams.metrics().values()) {
            if (metric.metricName().group().equals("producer-topic-metrics") && metric.metricName().name().equals(metricName)
                    && metric.metricValue() instanceof Number value) {
                byTopic.merge(metric.metricName().tags().get("topic"), value.doubleValue(), Double::sum);
            }
        }
        return byTopic;
    }

    private double sum(String group, String name) {
        double total = 0;
        for (Metric metric : streams.metrics().values()) {
            if (metric.metricName().group().equals(group) && metric.metricName().name().equals(name)
                    && metric.metricValue() instanceof Number value) {
                total += value.doubleValue();
            }
        }
        return total;
    }

    /** utime + stime of the local broker's process, from /proc/<pid>/stat. */
    private static OptionalLong brokerTicks() {
        try {
            if (!Files.isReadable(BROKER_PID)) {
                return OptionalLong.empty();
            }
            Path stat = Path.of("/proc", Files.readString(BROKER_PID).trim(), "stat");
            if (!Files.isReadable(stat)) {
                return OptionalLong.empty();
            }
            String line = Files.readString(stat);
            // The fields after the command name, which is in parentheses and may hold spaces.
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            return OptionalLong.of(Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
