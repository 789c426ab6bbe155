package dev.omnistock.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnistock.clickhouse.sink.SinkSettings;
import dev.omnistock.config.Config;
import dev.omnistock.testsupport.ReadmeSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClickHouseSettingsTest {

    @Test
    void aBatchSizeOfZeroFailsAtStartNamingTheSetting() {
        assertThatThrownBy(() -> SinkSettings.from(Config.of(Map.of(SinkSettings.BATCH_SIZE, "0"))))
                .hasMessageContaining("CLICKHOUSE_SINK_BATCH_SIZE").hasMessageContaining("at least 1");
    }

    @Test
    void thePasswordIsNeverPrinted() {
        assertThat(ClickHouseConnection.from(Config.of(Map.of(ClickHouseConnection.PASSWORD, "ch-secret"))).toString())
                .doesNotContain("ch-secret");
    }

    @Test
    void theReadmeTableListsEverySettingWithItsDefault() {
        ReadmeSettings.assertDocumented(ClickHouseConnection.SETTINGS);
        ReadmeSettings.assertDocumented(SinkSettings.SETTINGS);
    }
}
