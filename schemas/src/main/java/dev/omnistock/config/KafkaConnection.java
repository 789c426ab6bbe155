package dev.omnistock.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Where the Kafka cluster is and how to authenticate to it. Every producer, consumer, admin client,
 * Kafka Streams app and Flink Kafka source/sink starts from {@link #clientProperties()}.
 */
public record KafkaConnection(
        String bootstrapServers,
        String securityProtocol,
        Optional<String> saslMechanism,
        Optional<String> saslJaasConfig) {

    public static final String BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";
    public static final String SECURITY_PROTOCOL = "KAFKA_SECURITY_PROTOCOL";
    public static final String SASL_MECHANISM = "KAFKA_SASL_MECHANISM";
    public static final String SASL_JAAS_CONFIG = "KAFKA_SASL_JAAS_CONFIG";

    /** The settings read here; the JAAS line is a secret, read from the environment only. */
    public static final ConfigDef SETTINGS = new ConfigDef()
            .define(BOOTSTRAP_SERVERS, Type.STRING, "127.0.0.1:9092", new ConfigDef.NonEmptyString(), Importance.HIGH, "Kafka brokers")
            .define(SECURITY_PROTOCOL, Type.STRING, "PLAINTEXT",
                    ConfigDef.CaseInsensitiveValidString.in("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"), Importance.HIGH, "protocol")
            .define(SASL_MECHANISM, Type.STRING, null, Importance.MEDIUM, "SASL mechanism");

    public static KafkaConnection from(Config config) {
        Settings settings = Settings.read(SETTINGS, config);
        return new KafkaConnection(
                settings.string(BOOTSTRAP_SERVERS),
                settings.string(SECURITY_PROTOCOL),
                settings.optional(SASL_MECHANISM),
                config.secret(SASL_JAAS_CONFIG));
    }

    public static KafkaConnection plaintext(String bootstrapServers) {
        return new KafkaConnection(bootstrapServers, "PLAINTEXT", Optional.empty(), Optional.empty());
    }

    @Override
    public String toString() {
        return "KafkaConnection[bootstrapServers=" + bootstrapServers + ", securityProtocol=" + securityProtocol
                + ", saslMechanism=" + saslMechanism.orElse("(none)") + ", saslJaasConfig=" + Redaction.secret(saslJaasConfig) + "]";
    }

    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("security.protocol", securityProtocol);
        saslMechanism.ifPresent(m -> props.put("sasl.mechanism", m));
        saslJaasConfig.ifPresent(j -> props.put("sasl.jaas.config", j));
        return props;
    }
}
