package dev.omnistock.inventory.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
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
 * are also told by topic, and per request to the broker: the broker's work goes with requests and the
 * partitions in them more than with bytes.
 */
final class WriteCost {

    private static final Path BROKER_PID = Path.of(".local-stack", "kafka.pid");
    /** Linux reports process CPU in clock ticks of 1/100 s (USER_HZ). */
    private static final double TICK_SECONDS = 0.01;

    private final KafkaStreams streams;
    private final double recordsAtStart;
    private final double commitsAtStart;
    private final double brokerRequestsAtStart;
    private final Map<String, Double> recordsByTopicAtStart;
    private final Map<String, Double> bytesByTopicAtStart;
    private final OptionalLong brokerTicksAtStart;

    WriteCost(KafkaStreams streams) {
        this.streams = streams;
        this.recordsAtStart = sum("producer-metrics", "record-send-total");
        this.commitsAtStart = sum("stream-thread-metrics", "commit-total");
        this.brokerRequestsAtStart = sum("producer-node-metrics", "request-total");
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
        double brokerRequests = sum("producer-node-metrics", "request-total") - brokerRequestsAtStart;
        return String.format("%.2f records written, %s per input event; %.0f commits; %.1f records per request to the broker; "
                + "per input event by topic, records and bytes: %s", records, broker, commits, records * inputEvents / brokerRequests, topicBreakdown(inputEvents));
    }

    /** Each topic written in the pass, most bytes first. */
    private String topicBreakdown(long inputEvents) {
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

    /** A producer metric summed over the application's producers, per topic. */
    private Map<String, Double> byTopic(String name) {
        Map<String, Double> byTopic = new HashMap<>();
        for (Metric metric : metrics("producer-topic-metrics", name)) {
            byTopic.merge(metric.metricName().tags().get("topic"), ((Number) metric.metricValue()).doubleValue(), Double::sum);
        }
        return byTopic;
    }

    private double sum(String group, String name) {
        return metrics(group, name).stream().mapToDouble(metric -> ((Number) metric.metricValue()).doubleValue()).sum();
    }

    /** The application's numeric metrics of that group and name, one per client (and topic or node). */
    private List<Metric> metrics(String group, String name) {
        return streams.metrics().values().stream()
                .filter(m -> m.metricName().group().equals(group) && m.metricName().name().equals(name) && m.metricValue() instanceof Number)
                .map(m -> (Metric) m)
                .toList();
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
