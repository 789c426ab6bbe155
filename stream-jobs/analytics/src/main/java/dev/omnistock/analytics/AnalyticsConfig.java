package dev.omnistock.analytics;

import dev.omnistock.analytics.forecast.StockoutForecast;
import dev.omnistock.analytics.job.AnalyticsJob;
import dev.omnistock.clickhouse.ClickHouseConnection;
import dev.omnistock.clickhouse.sink.SinkSettings;
import dev.omnistock.config.Config;
import dev.omnistock.config.KafkaConnection;
import dev.omnistock.config.Redaction;
import dev.omnistock.config.SchemaRegistryConnection;
import dev.omnistock.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the analytics job is configured by, from environment variables (or -D properties); the
 * README's table lists each with its default.
 *
 * @param stateBackend "hashmap" (state on the heap) or "rocksdb" (state on local disk, incremental
 *                     checkpoints), for state larger than the heap
 * @param restoreFrom a checkpoint or savepoint to resume from; empty: the newest checkpoint under
 *                    checkpointDir if there is one, else a fresh start
 */
public record AnalyticsConfig(
        KafkaConnection kafka,
        Map<String, Object> registryConfig,
        Topics topics,
        ClickHouseConnection clickHouse,
        SinkSettings sinkSettings,
        String groupId,
        int parallelism,
        Path checkpointDir,
        Duration checkpointInterval,
        String stateBackend,
        Path tmpDir,
        Optional<String> restoreFrom,
        AnalyticsJob.Settings job) {

    public static final String GROUP_ID = "ANALYTICS_GROUP_ID";
    public static final String PARALLELISM = "ANALYTICS_PARALLELISM";
    public static final String CHECKPOINT_DIR = "ANALYTICS_CHECKPOINT_DIR";
    public static final String CHECKPOINT_INTERVAL_MS = "ANALYTICS_CHECKPOINT_INTERVAL_MS";
    public static final String STATE_BACKEND = "ANALYTICS_STATE_BACKEND";
    public static final String TMP_DIR = "ANALYTICS_TMP_DIR";
    public static final String RESTORE_FROM = "ANALYTICS_RESTORE_FROM";
    public static final String OUT_OF_ORDERNESS_MS = "ANALYTICS_OUT_OF_ORDERNESS_MS";
    public static final String IDLENESS_MS = "ANALYTICS_IDLENESS_MS";
    public static final String ALLOWED_LATENESS_MS = "ANALYTICS_ALLOWED_LATENESS_MS";
    public static final String ORDER_RETENTION_DAYS = "ANALYTICS_ORDER_RETENTION_DAYS";
    public static final String VELOCITY_HALF_LIFE_HOURS = "ANALYTICS_VELOCITY_HALF_LIFE_HOURS";
    public static final String DEFAULT_LEAD_TIME_DAYS = "ANALYTICS_DEFAULT_LEAD_TIME_DAYS";
    public static final String RECOVERY_MARGIN_PERCENT = "ANALYTICS_RECOVERY_MARGIN_PERCENT";

    public static AnalyticsConfig from(Config config) {
        return new AnalyticsConfig(
                KafkaConnection.from(config),
                SchemaRegistryConnection.from(config).serdeConfig(),
                Topics.from(config),
                ClickHouseConnection.from(config),
                SinkSettings.from(config),
                config.get(GROUP_ID, "omnistock-analytics"),
                config.getInt(PARALLELISM, 2),
                Path.of(config.get(CHECKPOINT_DIR, ".local-stack/analytics/checkpoints")).toAbsolutePath(),
                Duration.ofMillis(config.getInt(CHECKPOINT_INTERVAL_MS, 10_000)),
                stateBackend(config.get(STATE_BACKEND, "hashmap")),
                Path.of(config.get(TMP_DIR, ".local-stack/analytics/tmp")).toAbsolutePath(),
                config.find(RESTORE_FROM),
                new AnalyticsJob.Settings(
                        Duration.ofMillis(config.getInt(OUT_OF_ORDERNESS_MS, 10_000)),
                        Duration.ofMillis(config.getInt(IDLENESS_MS, 60_000)),
                        Duration.ofMillis(config.getInt(ALLOWED_LATENESS_MS, 300_000)),
                        Duration.ofDays(config.getInt(ORDER_RETENTION_DAYS, 90)),
                        new StockoutForecast.Rule(
                                Duration.ofHours(config.getInt(VELOCITY_HALF_LIFE_HOURS, 24)),
                                config.getInt(DEFAULT_LEAD_TIME_DAYS, 7),
                                config.getInt(RECOVERY_MARGIN_PERCENT, 20) / 100d)));
    }

    @Override
    public String toString() {
        return Redaction.describe(this);
    }

    private static String stateBackend(String name) {
        if (!name.equals("hashmap") && !name.equals("rocksdb")) {
            throw new IllegalArgumentException(STATE_BACKEND + " is '" + name
                    + "': set it to hashmap (state on the heap) or rocksdb (state on local disk)");
        }
        return name;
    }
}
