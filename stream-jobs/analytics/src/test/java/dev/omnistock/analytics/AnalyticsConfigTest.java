package dev.omnistock.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnistock.config.Config;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
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
}
