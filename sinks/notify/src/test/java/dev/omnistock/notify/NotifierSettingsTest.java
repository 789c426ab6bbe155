package dev.omnistock.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnistock.config.Config;
import dev.omnistock.notify.delivery.RetrySchedule;
import dev.omnistock.testsupport.ReadmeSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotifierSettingsTest {

    @Test
    void theReadmeTableListsEverySettingWithItsDefault() {
        ReadmeSettings.assertDocumented(NotifierService.SETTINGS);
    }

    @Test
    void theDefaultRetryScheduleIsTheDocumentedDefault() {
        assertThat(NotifierService.SETTINGS.defaultValues().get("NOTIFY_RETRY_SCHEDULE"))
                .isEqualTo(RetrySchedule.DEFAULT);
    }

    @Test
    void anOpenApiOnAnAddressOthersReachIsRefusedAtStart() {
        assertThatThrownBy(() -> NotifierService.start(Config.of(Map.of("NOTIFY_HTTP_HOST", "0.0.0.0"))))
                .hasMessageContaining("NOTIFY_API_KEYS");
    }

    @Test
    void anSmtpLoginWithoutTlsIsRefusedAtStart() {
        assertThatThrownBy(() -> NotifierService.start(Config.of(Map.of("NOTIFY_SMTP_USER", "notifier"))))
                .hasMessageContaining("NOTIFY_SMTP_TLS=starttls");
    }
}
