package dev.omnistock.dashboard;

import dev.omnistock.testsupport.ReadmeSettings;
import org.junit.jupiter.api.Test;

class DashboardSettingsTest {

    @Test
    void theReadmeDocumentsEverySetting() {
        ReadmeSettings.assertDocumented(DashboardService.SETTINGS);
    }
}
