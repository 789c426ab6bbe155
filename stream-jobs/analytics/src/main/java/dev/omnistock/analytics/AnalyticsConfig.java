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
import dev.omnistock.config.Settings;
import java.net.URI;
import java.nio.file.Path;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the analytics job is configured by, from environment variables (or -D properties); the
 * README's table lists each with its default.
 *
 * @param parallelism the job's parallelism when set; unset, {@link #CLUSTER_PARALLELISM} on a Flink cluster and
 *                    {@link #EMBEDDED_PARALLELISM} embedded (see {@link #parallelism(boolean)})
 * @param stateBackend "hashmap" (state on the heap) or "rocksdb" (state on local disk, incremental
 *                     checkpoints), for state larger than the heap
 * @param restoreFrom a checkpoint or savepoint to resume from; empty: the newest checkpoint under
 *                    checkpointDir if there is one, else a fresh start
 * @param dropRemovedState resume from a checkpoint that holds state of operators this job no longer has,
 *                         dropping that state; off, such a resume fails, so that a renamed operator's state
 *                         is never lost unnoticed
 */
public record AnalyticsConfig(
        KafkaConnection kafka,
        Map<String, Object> registryConfig,
        Topics topics,
        ClickHouseConnection clickHouse,
        SinkSettings sinkSettings,
        String groupId,
        Optional<Integer> parallelism,
        URI checkpointDir,
        Duration checkpointInterval,
        String stateBackend,
        Path tmpDir,
        Optional<String> restoreFrom,
        boolean dropRemovedState,
        AnalyticsJob.Settings job) {

    public static final String GROUP_ID = "ANALYTICS_GROUP_ID";
    public static final String PARALLELISM = "ANALYTICS_PARALLELISM";
    public static final String CHECKPOINT_DIR = "ANALYTICS_CHECKPOINT_DIR";
    public static final String CHECKPOINT_INTERVAL_MS = "ANALYTICS_CHECKPOINT_INTERVAL_MS";
    public static final String STATE_BACKEND = "ANALYTICS_STATE_BACKEND";
    public static final String TMP_DIR = "ANALYTICS_TMP_DIR";
    public static final String RESTORE_FROM = "ANALYTICS_RESTORE_FROM";
    public static final String RESTORE_DROPPING_REMOVED_STATE = "ANALYTICS_RESTORE_DROPPING_REMOVED_STATE";
    public static final String OUT_OF_ORDERNESS_MS = "ANALYTICS_OUT_OF_ORDERNESS_MS";
    public static final String IDLENESS_MS = "ANALYTICS_IDLENESS_MS";
    public static final String ALLOWED_LATENESS_MS = "ANALYTICS_ALLOWED_LATENESS_MS";
    public static final String ORDER_RETENTION_DAYS = "ANALYTICS_ORDER_RETENTION_DAYS";
    public static final String VELOCITY_HALF_LIFE_HOURS = "ANALYTICS_VELOCITY_HALF_LIFE_HOURS";
    public static final String DEFAULT_LEAD_TIME_DAYS = "ANALYTICS_DEFAULT_LEAD_TIME_DAYS";
    public static final String RECOVERY_MARGIN_PERCENT = "ANALYTICS_RECOVERY_MARGIN_PERCENT";

    /** Unset, the parallelism on a Flink cluster: the local stack's has two task managers of two slots. */
    public static final int CLUSTER_PARALLELISM = 4;
    /** Unset, the parallelism embedded, where every subtask shares this process's cores. */
    public static final int EMBEDDED_PARALLELISM = 2;

    /** Every setting the job reads, with its type, default and allowed range; the README's table agrees (tested). */
    public static final ConfigDef SETTINGS = new ConfigDef()
            .define(GROUP_ID, Type.STRING, "omnistock-analytics", new ConfigDef.NonEmptyString(), Importance.HIGH, "consumer group")
            .define(PARALLELISM, Type.INT, null, unsetOrBetween(1, AnalyticsJob.MAX_PARALLELISM), Importance.HIGH, "parallelism")
            .define(CHECKPOINT_DIR, Type.STRING, ".local-stack/analytics/checkpoints", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "checkpoint directory: a path or a URI of any Flink file system")
            .define(CHECKPOINT_INTERVAL_MS, Type.INT, 10_000, Range.between(100, 3_600_000), Importance.MEDIUM, "checkpoint interval")
            .define(STATE_BACKEND, Type.STRING, "hashmap", ConfigDef.ValidString.in("hashmap", "rocksdb"), Importance.MEDIUM, "state backend")
            .define(TMP_DIR, Type.STRING, ".local-stack/analytics/tmp", new ConfigDef.NonEmptyString(), Importance.LOW, "Flink temp files")
            .define(RESTORE_FROM, Type.STRING, null, Importance.MEDIUM, "checkpoint or savepoint to resume from")
            .define(RESTORE_DROPPING_REMOVED_STATE, Type.BOOLEAN, false, Importance.LOW, "drop state of removed operators on resume")
            .define(OUT_OF_ORDERNESS_MS, Type.INT, 10_000, Range.atLeast(0), Importance.MEDIUM, "out-of-orderness")
            .define(IDLENESS_MS, Type.INT, 60_000, Range.atLeast(1), Importance.LOW, "idle partition")
            .define(ALLOWED_LATENESS_MS, Type.INT, 300_000, Range.atLeast(0), Importance.MEDIUM, "allowed lateness")
            .define(ORDER_RETENTION_DAYS, Type.INT, 90, Range.atLeast(1), Importance.MEDIUM, "order retention")
            .define(VELOCITY_HALF_LIFE_HOURS, Type.INT, 24, Range.atLeast(1), Importance.LOW, "velocity half-life")
            .define(DEFAULT_LEAD_TIME_DAYS, Type.INT, 7, Range.atLeast(0), Importance.LOW, "default lead time")
            .define(RECOVERY_MARGIN_PERCENT, Type.INT, 20, Range.between(0, 1000), Importance.LOW, "recovery margin");

    public static AnalyticsConfig from(Config config) {
        Settings settings = Settings.read(SETTINGS, config);
        return new AnalyticsConfig(
                KafkaConnection.from(config),
                SchemaRegistryConnection.from(config).serdeConfig(),
                Topics.from(config),
                ClickHouseConnection.from(config),
                SinkSettings.from(config),
                settings.string(GROUP_ID),
                config.find(PARALLELISM).map(value -> Integer.valueOf(value.trim())),
                directoryUri(settings.string(CHECKPOINT_DIR)),
                Duration.ofMillis(settings.integer(CHECKPOINT_INTERVAL_MS)),
                settings.string(STATE_BACKEND),
                Path.of(settings.string(TMP_DIR)).toAbsolutePath(),
                settings.optional(RESTORE_FROM),
                settings.bool(RESTORE_DROPPING_REMOVED_STATE),
                new AnalyticsJob.Settings(
                        Duration.ofMillis(settings.integer(OUT_OF_ORDERNESS_MS)),
                        Duration.ofMillis(settings.integer(IDLENESS_MS)),
                        Duration.ofMillis(settings.integer(ALLOWED_LATENESS_MS)),
                        Duration.ofDays(settings.integer(ORDER_RETENTION_DAYS)),
                        new StockoutForecast.Rule(
                                Duration.ofHours(settings.integer(VELOCITY_HALF_LIFE_HOURS)),
                                settings.integer(DEFAULT_LEAD_TIME_DAYS),
                                settings.integer(RECOVERY_MARGIN_PERCENT) / 100d)));
    }

    private static ConfigDef.Validator unsetOrBetween(int min, int max) {
        Range range = Range.between(min, max);
        return ConfigDef.LambdaValidator.with((name, value) -> {
            if (value != null) {
                range.ensureValid(name, value);
            }
        }, range::toString);
    }

    /** A URI as given (s3://, hdfs://, file://: Flink's file systems resolve it); a plain path made absolute. */
    static URI directoryUri(String directory) {
        if (directory.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            return URI.create(directory);
        }
        return Path.of(directory).toAbsolutePath().toUri();
    }

    /** The parallelism set, else the default of where the job runs. */
    public int parallelism(boolean embedded) {
        return parallelism.orElse(embedded ? EMBEDDED_PARALLELISM : CLUSTER_PARALLELISM);
    }

    @Override
    public String toString() {
        return Redaction.describe(this);
    }

}
