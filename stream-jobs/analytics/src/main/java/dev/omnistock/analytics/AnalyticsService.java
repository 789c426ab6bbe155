package dev.omnistock.analytics;

import dev.omnistock.analytics.job.AnalyticsJob;
import dev.omnistock.analytics.job.ClickHouseTables;
import dev.omnistock.analytics.kafka.KafkaConnectors;
import dev.omnistock.clickhouse.Migrations;
import dev.omnistock.clickhouse.sink.ClickHouseSink;
import dev.omnistock.clickhouse.sink.ClickHouseTable;
import dev.omnistock.config.Config;
import dev.omnistock.serde.SchemaRegistry;
import dev.omnistock.topics.TopicProvisioner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.net.URI;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the analytics job. {@code java -jar analytics-job.jar} runs it embedded (a Flink cluster in
 * this process); {@code flink run analytics-job.jar} submits the same job to a Flink cluster. Both
 * read the same environment variables (README), provision the topics and apply the ClickHouse
 * migrations first.
 */
public final class AnalyticsService {

    private static final Logger log = LoggerFactory.getLogger(AnalyticsService.class);
    public static final String JOB_NAME = "omnistock-analytics";

    private AnalyticsService() {
    }

    public static void main(String[] args) throws Exception {
        AnalyticsConfig config = AnalyticsConfig.from(Config.fromEnvironment());
        prepare(config);
        Configuration flink = flinkConfiguration(config);
        StreamExecutionEnvironment env = environment(config, flink);
        job(config).build(env);
        if (!(env instanceof LocalStreamEnvironment)) {
            log.info("Submitting {} to the Flink cluster, parallelism {}", JOB_NAME, env.getParallelism());
            env.execute(JOB_NAME);
            return;
        }
        try (Embedded embedded = startEmbedded(config, flink, env)) {
            embedded.cluster().awaitEnd(embedded.job());
        }
    }

    /** The job running on a Flink cluster inside this process. Closing it stops both, like a crash would. */
    public record Embedded(EmbeddedFlink cluster, JobID job) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            cluster.close();
        }
    }

    /**
     * The environment the job is built on: a Flink cluster's when {@code flink run} submits the jar,
     * else a local one, each at the parallelism configured for it.
     */
    public static StreamExecutionEnvironment environment(AnalyticsConfig config, Configuration flink) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(config.parallelism(env instanceof LocalStreamEnvironment));
        return env;
    }

    /** Starts an embedded cluster, with a slot for each subtask, and submits the job built on {@code env} to it. */
    public static Embedded startEmbedded(AnalyticsConfig config, Configuration flink, StreamExecutionEnvironment env) throws Exception {
        EmbeddedFlink cluster = EmbeddedFlink.start(flink, env.getParallelism());
        JobID job = cluster.submit(env);
        log.info("Analytics job {} running embedded, parallelism {}, checkpoints every {} s into {}; web UI at {}",
                job, env.getParallelism(), config.checkpointInterval().toSeconds(), config.checkpointDir(), cluster.restAddress());
        return new Embedded(cluster, job);
    }

    /** Topics and their schemas, then the ClickHouse tables: both idempotent, safe at every start. */
    public static void prepare(AnalyticsConfig config) throws Exception {
        try (Admin admin = Admin.create(config.kafka().clientProperties())) {
            new TopicProvisioner(admin, SchemaRegistry.connect(config.registryConfig())).provision(config.topics().all());
        }
        Migrations.apply(config.clickHouse());
    }

    public static AnalyticsJob job(AnalyticsConfig config) {
        KafkaConnectors kafka = new KafkaConnectors(config.kafka(), config.registryConfig(), config.topics(), config.groupId());
        return new AnalyticsJob(
                new AnalyticsJob.Sources(kafka.orders(), kafka.positions(), kafka.alerts(), kafka.settings(), kafka.orderStatus(),
                        kafka.deliveryAttempts()),
                new AnalyticsJob.Sinks(
                        clickHouse(config, ClickHouseTables.demandPerMinute()),
                        clickHouse(config, ClickHouseTables.lateEvents()),
                        clickHouse(config, ClickHouseTables.availabilityChanges()),
                        clickHouse(config, ClickHouseTables.stockoutPeriods()),
                        clickHouse(config, ClickHouseTables.inventoryAlerts()),
                        kafka.predictions(),
                        clickHouse(config, ClickHouseTables.orderStatusChanges()),
                        clickHouse(config, ClickHouseTables.notificationAttempts()),
                        kafka.deadLetters()),
                config.job());
    }

    private static <T extends java.io.Serializable> ClickHouseSink<T> clickHouse(AnalyticsConfig config, ClickHouseTable<T> table) {
        return new ClickHouseSink<>(config.clickHouse(), table, config.sinkSettings());
    }

    public static Configuration flinkConfiguration(AnalyticsConfig config) {
        Configuration flink = new Configuration();
        flink.set(PipelineOptions.NAME, JOB_NAME);
        // Flink's spill and temp files go where configured, never to the system's /tmp.
        flink.set(CoreOptions.TMP_DIRS, config.tmpDir().toString());
        flink.set(StateBackendOptions.STATE_BACKEND, config.stateBackend());
        // On RocksDB a checkpoint uploads only the files written since the last one; the heap backend
        // always writes all its state.
        flink.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, config.stateBackend().equals("rocksdb"));
        flink.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, config.checkpointDir().toString());
        flink.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.checkpointInterval());
        flink.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        // Kept when the job is cancelled or the process dies, so the next start resumes from it.
        flink.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        flink.set(PipelineOptions.GENERIC_TYPES, false);
        // Records pass between chained operators without a defensive copy: every type the job passes
        // on is an immutable record, and no function keeps or changes an input it was given.
        flink.set(PipelineOptions.OBJECT_REUSE, true);
        restorePoint(config).ifPresent(path -> {
            log.info("Resuming from {}{}", path, config.dropRemovedState() ? ", dropping the state of operators the job no longer has" : "");
            flink.set(StateRecoveryOptions.SAVEPOINT_PATH, path);
            flink.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, config.dropRemovedState());
        });
        return flink;
    }

    /** The configured restore point, else the newest completed checkpoint under the checkpoint directory. */
    static Optional<String> restorePoint(AnalyticsConfig config) {
        if (config.restoreFrom().isPresent()) {
            return config.restoreFrom().filter(path -> !path.equals("none"));
        }
        return newestCheckpoint(config.checkpointDir());
    }

    /**
     * The newest completed checkpoint under the directory, looked for through Flink's file systems, so
     * that a directory on an object store (s3://, gs://, hdfs://) is searched where it is.
     */
    public static Optional<String> newestCheckpoint(URI checkpointDir) {
        org.apache.flink.core.fs.Path root = new org.apache.flink.core.fs.Path(checkpointDir);
        try {
            FileSystem fs = root.getFileSystem();
            if (!fs.exists(root)) {
                return Optional.empty();
            }
            // <dir>/<job id>/chk-<n>/_metadata exists only for completed checkpoints.
            FileStatus newest = null;
            for (FileStatus job : list(fs, root)) {
                for (FileStatus checkpoint : list(fs, job.getPath())) {
                    if (!checkpoint.isDir() || !checkpoint.getPath().getName().startsWith("chk-")) {
                        continue;
                    }
                    org.apache.flink.core.fs.Path metadata = new org.apache.flink.core.fs.Path(checkpoint.getPath(), "_metadata");
                    if (fs.exists(metadata)) {
                        FileStatus status = fs.getFileStatus(metadata);
                        if (newest == null || status.getModificationTime() > newest.getModificationTime()) {
                            newest = status;
                        }
                    }
                }
            }
            return Optional.ofNullable(newest).map(status -> status.getPath().getParent().toUri().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not look for checkpoints in " + checkpointDir
                    + " (for an object store, is its Flink file-system plugin installed?)", e);
        }
    }

    private static FileStatus[] list(FileSystem fs, org.apache.flink.core.fs.Path dir) throws IOException {
        if (!fs.getFileStatus(dir).isDir()) {
            return new FileStatus[0];
        }
        FileStatus[] entries = fs.listStatus(dir);
        return entries == null ? new FileStatus[0] : entries;
    }
}
