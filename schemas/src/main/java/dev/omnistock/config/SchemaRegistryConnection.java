package dev.omnistock.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Where the Confluent-compatible schema registry is. Any registry speaking Confluent's REST API
 * works: Confluent Schema Registry, or Apicurio at {@code .../apis/ccompat/v7} as the local stack runs it.
 * A {@code mock://scope} URL gives an in-memory registry for unit tests.
 */
public record SchemaRegistryConnection(String url, Optional<String> basicAuthUserInfo) {

    public static final String URL = "SCHEMA_REGISTRY_URL";
    /** "user:password", sent as HTTP basic auth. */
    public static final String BASIC_AUTH_USER_INFO = "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO";

    /** Serde config key naming the registry, as Confluent's serdes name it. */
    public static final String URL_CONFIG = "schema.registry.url";

    /** The settings read here; the basic-auth user info is a secret, read from the environment only. */
    public static final ConfigDef SETTINGS = new ConfigDef()
            .define(URL, Type.STRING, "http://127.0.0.1:8081/apis/ccompat/v7", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "schema registry URL(s)");

    public static SchemaRegistryConnection from(Config config) {
        return new SchemaRegistryConnection(Settings.read(SETTINGS, config).string(URL), config.secret(BASIC_AUTH_USER_INFO));
    }

    public static SchemaRegistryConnection at(String url) {
        return new SchemaRegistryConnection(url, Optional.empty());
    }

    @Override
    public String toString() {
        return "SchemaRegistryConnection[url=" + url + ", basicAuthUserInfo=" + Redaction.secret(basicAuthUserInfo) + "]";
    }

    /** Configuration for {@link dev.omnistock.serde.AvroSerializer} and friends. */
    public Map<String, Object> serdeConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(URL_CONFIG, url);
        basicAuthUserInfo.ifPresent(userInfo -> {
            config.put("basic.auth.credentials.source", "USER_INFO");
            config.put("basic.auth.user.info", userInfo);
        });
        return config;
    }
}
