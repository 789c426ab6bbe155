package dev.omnistock.inventory.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.apache.kafka.common.Metric;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What a pass of a Kafka Streams application asked of the broker, per input event: the records its
 * producers wrote (outputs, internal topics and changelogs), its commits (each one a transaction), and
 * the broker's CPU when the broker is the local stack's (its pid file is read). On two cores shared with
 * the broker, the broker's work for each record written is taken from the application's CPU.
 */
final class WriteCost {

    private static final Path BROKER_PID = Path.of(".local-stack", "kafka.pid");
    /** Linux reports process CPU in clock ticks of 1/100 s (USER_HZ). */
    private static final double TICK_SECONDS = 0.01;

    private final KafkaStreams streams;
    private final double recordsAtStart;
    private final double commitsAtStart;
    private final OptionalLong brokerTicksAtStart;

    WriteCost(KafkaStreams streams) {
        this.streams = streams;
        this.recordsAtStart = sum("producer-metrics", "record-send-total");
        this.commitsAtStart = sum("stream-thread-metrics", "commit-total");
        this.brokerTicksAtStart = brokerTicks();
    }

    String perInputEvent(long inputEvents) {
        double records = (sum("producer-metrics", "record-send-total") - recordsAtStart) / inputEvents;
        double commits = sum("stream-thread-metrics", "commit-total") - commitsAtStart;
        OptionalLong brokerTicks = brokerTicks();
        String broker = brokerTicksAtStart.isPresent() && brokerTicks.isPresent()
                ? String.format("broker CPU %.1f µs", (brokerTicks.getAsLong() - brokerTicksAtStart.getAsLong()) * TICK_SECONDS * 1e6 / inputEvents)
                : "broker CPU not measured (not the local stack's broker)";
        return String.format("%.2f records written, %s per input event; %.0f commits", records, broker, commits);
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
