package dev.omnistock.ingestion;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnistock.config.Config;
import dev.omnistock.ingestion.gate.GateService;
import dev.omnistock.testsupport.ReadmeSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestionSettingsTest {

    @Test
    void theReadmeTableListsEverySettingWithItsDefault() {
        ReadmeSettings.assertDocumented(IngestionService.SETTINGS);
        ReadmeSettings.assertDocumented(GateService.SETTINGS);
    }

    @Test
    void anApiWithoutKeysOnAnAddressOthersReachIsRefusedAtStart() {
        assertThatThrownBy(() -> IngestionService.start(Config.of(Map.of("INGESTION_HTTP_HOST", "0.0.0.0"))))
                .hasMessageContaining("INGESTION_API_KEYS");
    }
}
