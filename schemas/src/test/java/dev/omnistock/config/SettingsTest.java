package dev.omnistock.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnistock.testsupport.ReadmeSettings;
import dev.omnistock.topics.Topics;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void aValueOutsideItsRangeFailsNamingTheSettingAndTheRange() {
        assertThatThrownBy(() -> Topics.from(Config.of(Map.of(Topics.PARTITIONS, "0"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OMNISTOCK_TOPIC_PARTITIONS").hasMessageContaining("at least 1");
        assertThatThrownBy(() -> KafkaConnection.from(Config.of(Map.of(KafkaConnection.SECURITY_PROTOCOL, "TLS"))))
                .hasMessageContaining("KAFKA_SECURITY_PROTOCOL").hasMessageContaining("SASL_SSL");
    }

    @Test
    void secretsComeFromTheEnvironmentAndNeverIntoToString() {
        KafkaConnection kafka = KafkaConnection.from(Config.of(Map.of(KafkaConnection.SASL_JAAS_CONFIG, "password=\"kafka-secret\";")));
        SchemaRegistryConnection registry = SchemaRegistryConnection.from(Config.of(Map.of(
                SchemaRegistryConnection.BASIC_AUTH_USER_INFO, "user:registry-secret")));
        assertThat(kafka.saslJaasConfig()).isPresent();
        assertThat(kafka.toString()).doesNotContain("kafka-secret").contains(Redaction.REDACTED);
        assertThat(registry.toString()).doesNotContain("registry-secret").contains(Redaction.REDACTED);
        assertThat(Redaction.redact(registry.serdeConfig()).toString()).doesNotContain("registry-secret");
        assertThat(Redaction.secret(Optional.empty())).isEqualTo("(none)");
    }

    @Test
    void theReadmeTableListsEverySharedSettingWithItsDefault() {
        ReadmeSettings.assertDocumented(KafkaConnection.SETTINGS);
        ReadmeSettings.assertDocumented(SchemaRegistryConnection.SETTINGS);
        ReadmeSettings.assertDocumented(Topics.SETTINGS);
    }
}
