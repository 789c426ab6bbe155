package dev.omnistock.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnistock.config.Config;
import dev.omnistock.config.RequestGuard;
import dev.omnistock.testsupport.ReadmeSettings;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class InventoryConfigTest {

    @Test
    void aValueOfTheWrongKindFailsAtStartNamingTheVariable() {
        assertThatThrownBy(() -> InventoryConfig.from(Config.of(Map.of("INVENTORY_SPLIT_LINES", "yes"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("INVENTORY_SPLIT_LINES").hasMessageContaining("true or false");
        assertThatThrownBy(() -> InventoryConfig.from(Config.of(Map.of("INVENTORY_CACHE_MAX_MB", "-1"))))
                .hasMessageContaining("INVENTORY_CACHE_MAX_MB").hasMessageContaining("at least 0");
        assertThatThrownBy(() -> InventoryConfig.from(Config.of(Map.of("INVENTORY_HTTP_PORT", "80a"))))
                .hasMessageContaining("INVENTORY_HTTP_PORT");
    }

    @Test
    void defaultsApplyAndValuesAreTyped() {
        InventoryConfig config = InventoryConfig.from(Config.of(Map.of("INVENTORY_SPLIT_LINES", "TRUE", "INVENTORY_STREAM_THREADS", " 2 ")));
        assertThat(config.streamThreads()).isEqualTo(2);
        assertThat(config.httpPort()).isEqualTo(8090);
        assertThat(config.feedMaxSubscribers()).isEqualTo(1_000);
        assertThat(config.streamsProperties()).containsEntry("producer.batch.size", 256 * 1024);
    }

    @Test
    void failoverSettingsReachKafkaStreamsOnTheClassicProtocol() {
        Properties defaults = InventoryConfig.from(Config.of(Map.of())).streamsProperties();
        assertThat(defaults).containsEntry("num.standby.replicas", 1)
                .containsEntry("group.protocol", "classic")
                .containsEntry("main.consumer.session.timeout.ms", 6_000)
                .containsEntry("main.consumer.heartbeat.interval.ms", 1_000);

        Properties set = InventoryConfig.from(Config.of(Map.of("INVENTORY_STANDBY_REPLICAS", "0", "INVENTORY_SESSION_TIMEOUT_MS", "12000",
                "INVENTORY_GROUP_INSTANCE_ID", "inventory-0"))).streamsProperties();
        assertThat(set).containsEntry("num.standby.replicas", 0)
                .containsEntry("main.consumer.session.timeout.ms", 12_000)
                .containsEntry("main.consumer.heartbeat.interval.ms", 2_000)
                .containsEntry("group.instance.id", "inventory-0");
        assertThatThrownBy(() -> InventoryConfig.from(Config.of(Map.of("INVENTORY_SESSION_TIMEOUT_MS", "500"))))
                .hasMessageContaining("INVENTORY_SESSION_TIMEOUT_MS");
    }

    @Test
    void anApiReachableBeyondThisMachineNeedsKeys() {
        assertThatThrownBy(() -> InventoryConfig.from(Config.of(Map.of("INVENTORY_HTTP_HOST", "0.0.0.0"))))
                .hasMessageContaining("INVENTORY_API_KEYS");
        assertThat(InventoryConfig.from(Config.of(Map.of("INVENTORY_HTTP_HOST", "0.0.0.0", "INVENTORY_API_KEYS", "k1,k2"))).apiKeys().isEmpty())
                .isFalse();
        assertThat(InventoryConfig.from(Config.of(Map.of())).apiKeys().isEmpty()).as("loopback: open").isTrue();
    }

    @Test
    void theApiAnswersForItsAdvertisedHostAndTheConfiguredNamesOnly() {
        RequestGuard guard = InventoryConfig.from(Config.of(Map.of("INVENTORY_ADVERTISED_HOST", "inventory-2.internal",
                "INVENTORY_ALLOWED_HOSTS", "stock.shop.example, inventory.lb"))).requestGuard();
        for (String host : List.of("inventory-2.internal:8090", "stock.shop.example", "inventory.lb:80", "127.0.0.1:8090")) {
            assertThatCode(() -> guard.check("GET", "/v1/availability/SKU-1", Map.of("Host", host)::get)).as(host).doesNotThrowAnyException();
        }
        assertThatThrownBy(() -> guard.check("GET", "/v1/availability/SKU-1", Map.of("Host", "inventory-3.internal:8090")::get))
                .isInstanceOf(RequestGuard.Refused.class).hasMessageContaining("INVENTORY_ALLOWED_HOSTS");
    }

    @Test
    void noSecretIsPrinted() {
        InventoryConfig config = InventoryConfig.from(Config.of(Map.of("INVENTORY_API_KEYS", "storefront-secret",
                "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"kafka-secret\";",
                "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "user:registry-secret")));
        assertThat(config.toString()).doesNotContain("storefront-secret", "kafka-secret", "registry-secret").contains("[redacted]");
    }

    @Test
    void theReadmeTableListsEverySettingWithItsDefault() {
        ReadmeSettings.assertDocumented(InventoryConfig.SETTINGS);
    }
}
