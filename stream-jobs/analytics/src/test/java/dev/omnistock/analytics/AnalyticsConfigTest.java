package dev.omnistock.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnistock.config.Config;
import dev.omnistock.testsupport.ReadmeSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.junit.jupiter.api.Test;

class AnalyticsConfigTest {

    @Test
    void stateStaysOnTheHeapUnlessRocksDbIsAskedFor() {
        Configuration heap = AnalyticsService.flinkConfiguration(AnalyticsConfig.from(Config.of(Map.of())));
        Configuration rocksDb = AnalyticsService.flinkConfiguration(
                AnalyticsConfig.from(Config.of(Map.of(AnalyticsConfig.STATE_BACKEND, "rocksdb"))));

        assertThat(heap.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("hashmap");
        assertThat(heap.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isFalse();
        assertThat(rocksDb.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(rocksDb.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
    }

    @Test
    void anUnknownStateBackendIsRefusedWithWhatToSetInstead() {
        assertThatThrownBy(() -> AnalyticsConfig.from(Config.of(Map.of(AnalyticsConfig.STATE_BACKEND, "memory"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ANALYTICS_STATE_BACKEND")
                .hasMessageContaining("hashmap")
                .hasMessageContaining("rocksdb");
    }

    @Test
    void aCheckpointDirectoryOnAnObjectStoreStaysAUri() {
        AnalyticsConfig onS3 = AnalyticsConfig.from(Config.of(Map.of(AnalyticsConfig.CHECKPOINT_DIR, "s3://retailer-flink/omnistock/checkpoints")));
        assertThat(onS3.checkpointDir()).hasToString("s3://retailer-flink/omnistock/checkpoints");
        assertThat(AnalyticsService.flinkConfiguration(AnalyticsConfig.from(Config.of(Map.of(
                        AnalyticsConfig.CHECKPOINT_DIR, "hdfs://namenode:8020/omnistock", AnalyticsConfig.RESTORE_FROM, "none"))))
                .get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo("hdfs://namenode:8020/omnistock");
        AnalyticsConfig local = AnalyticsConfig.from(Config.of(Map.of(AnalyticsConfig.CHECKPOINT_DIR, "relative/checkpoints")));
        assertThat(local.checkpointDir().getScheme()).isEqualTo("file");
        assertThat(local.checkpointDir().getPath()).startsWith("/").endsWith("relative/checkpoints");
    }

    @Test
    void stateOfRemovedOperatorsIsDroppedOnResumeOnlyWhenAsked() {
        Map<String, String> resume = Map.of(AnalyticsConfig.RESTORE_FROM, "file:///checkpoints/job/chk-7");
        assertThat(AnalyticsService.flinkConfiguration(AnalyticsConfig.from(Config.of(resume)))
                .get(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE)).isFalse();
        Map<String, String> upgrade = new HashMap<>(resume);
        upgrade.put(AnalyticsConfig.RESTORE_DROPPING_REMOVED_STATE, "true");
        Configuration flink = AnalyticsService.flinkConfiguration(AnalyticsConfig.from(Config.of(upgrade)));
        assertThat(flink.get(StateRecoveryOptions.SAVEPOINT_PATH)).isEqualTo("file:///checkpoints/job/chk-7");
        assertThat(flink.get(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE)).isTrue();
    }

    @Test
    void theNewestCompletedCheckpointIsFoundThroughFlinksFileSystems(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("job-a/chk-3"));
        Files.writeString(dir.resolve("job-a/chk-3/_metadata"), "x");
        Files.setLastModifiedTime(dir.resolve("job-a/chk-3/_metadata"), FileTime.fromMillis(1_000_000));
        Files.createDirectories(dir.resolve("job-b/chk-9"));
        Files.writeString(dir.resolve("job-b/chk-9/_metadata"), "x");
        Files.createDirectories(dir.resolve("job-b/chk-10")); // in progress: no _metadata yet
        Files.writeString(dir.resolve("job-b/shared"), "not a checkpoint");

        assertThat(AnalyticsService.newestCheckpoint(dir.toUri())).hasValueSatisfying(found -> assertThat(found).endsWith("job-b/chk-9"));
        assertThat(AnalyticsService.newestCheckpoint(dir.resolve("missing").toUri())).isEmpty();
    }

    @Test
    void settingsOfTheWrongKindFailAtStartAndTheReadmeListsEvery() {
        assertThatThrownBy(() -> AnalyticsConfig.from(Config.of(Map.of(AnalyticsConfig.PARALLELISM, "0"))))
                .hasMessageContaining("ANALYTICS_PARALLELISM").hasMessageContaining("at least 1");
        ReadmeSettings.assertDocumented(AnalyticsConfig.SETTINGS);
    }

    @Test
    void unsetTheParallelismIsFourOnAClusterAndTwoEmbeddedAndNeverAboveTheKeyGroups() {
        AnalyticsConfig unset = AnalyticsConfig.from(Config.of(Map.of()));
        assertThat(unset.parallelism(false)).isEqualTo(4);
        assertThat(unset.parallelism(true)).isEqualTo(2);
        AnalyticsConfig set = AnalyticsConfig.from(Config.of(Map.of(AnalyticsConfig.PARALLELISM, "3")));
        assertThat(set.parallelism(false)).isEqualTo(3);
        assertThat(set.parallelism(true)).isEqualTo(3);
        assertThatThrownBy(() -> AnalyticsConfig.from(Config.of(Map.of(AnalyticsConfig.PARALLELISM, "129"))))
                .hasMessageContaining("ANALYTICS_PARALLELISM").hasMessageContaining("128");
    }

    @Test
    void noSecretIsPrinted() {
        AnalyticsConfig config = AnalyticsConfig.from(Config.of(Map.of("CLICKHOUSE_PASSWORD", "ch-secret",
                "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "user:registry-secret", "KAFKA_SASL_JAAS_CONFIG", "password=\"kafka-secret\";")));
        assertThat(config.toString()).doesNotContain("ch-secret", "registry-secret", "kafka-secret");
    }
}
