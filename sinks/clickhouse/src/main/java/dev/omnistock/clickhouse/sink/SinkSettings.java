package dev.omnistock.clickhouse.sink;

import dev.omnistock.config.Config;
import dev.omnistock.config.Settings;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Range;
import java.io.Serializable;
import java.time.Duration;

/**
 * How the ClickHouse sink batches and retries.
 *
 * @param batchSize      rows per INSERT at most; a full batch is written at once
 * @param maxBatchDelay  a row waits at most this long before its batch is written
 * @param initialBackoff first wait after a failed INSERT; doubled after each further failure
 * @param maxBackoff     longest wait between two attempts
 * @param giveUpAfter    failing this long fails the job, which restarts from its last checkpoint:
 *                       rows are written again then, never lost
 */
public record SinkSettings(int batchSize, Duration maxBatchDelay, Duration initialBackoff, Duration maxBackoff,
                           Duration giveUpAfter) implements Serializable {

    public static final String BATCH_SIZE = "CLICKHOUSE_SINK_BATCH_SIZE";
    public static final String MAX_BATCH_DELAY_MS = "CLICKHOUSE_SINK_MAX_BATCH_DELAY_MS";
    public static final String GIVE_UP_AFTER_MS = "CLICKHOUSE_SINK_GIVE_UP_AFTER_MS";

    public SinkSettings {
        if (batchSize < 1) {
            throw new IllegalArgumentException(BATCH_SIZE + " must be at least 1, not " + batchSize);
        }
    }

    public static final ConfigDef SETTINGS = new ConfigDef()
            .define(BATCH_SIZE, Type.INT, 20_000, Range.between(1, 10_000_000), Importance.MEDIUM, "rows per INSERT")
            .define(MAX_BATCH_DELAY_MS, Type.INT, 1_000, Range.between(1, 3_600_000), Importance.MEDIUM, "longest wait of a row")
            .define(GIVE_UP_AFTER_MS, Type.INT, 300_000, Range.atLeast(1_000), Importance.MEDIUM, "retrying this long fails the job");

    public static SinkSettings from(Config config) {
        Settings settings = Settings.read(SETTINGS, config);
        return new SinkSettings(
                settings.integer(BATCH_SIZE),
                Duration.ofMillis(settings.integer(MAX_BATCH_DELAY_MS)),
                Duration.ofMillis(100),
                Duration.ofSeconds(10),
                Duration.ofMillis(settings.integer(GIVE_UP_AFTER_MS)));
    }

    /**
     * The backoff with jitter: somewhere in its upper half, so that many writers (one per table and subtask)
     * failing together do not all retry at the same moment.
     *
     * @param random a number in [0, 1)
     */
    public Duration jitteredBackoff(int attempt, double random) {
        long full = backoff(attempt).toMillis();
        return Duration.ofMillis(full / 2 + (long) (full / 2.0 * random));
    }

    /** The wait before attempt {@code attempt + 1}, after {@code attempt} failures. */
    public Duration backoff(int attempt) {
        long millis = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
