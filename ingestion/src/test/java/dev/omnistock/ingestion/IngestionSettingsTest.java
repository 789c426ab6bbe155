package dev.omnistock.ingestion;

import dev.omnistock.ingestion.gate.GateService;
import dev.omnistock.testsupport.ReadmeSettings;
import org.junit.jupiter.api.Test;

class IngestionSettingsTest {

    @Test
    void theReadmeTableListsEverySettingWithItsDefault() {
        ReadmeSettings.assertDocumented(IngestionService.SETTINGS);
        ReadmeSettings.assertDocumented(GateService.SETTINGS);
    }
}
