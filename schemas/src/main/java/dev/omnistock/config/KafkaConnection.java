package dev.omnistock.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

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

    public static KafkaConnection from(Config config) {
        return new KafkaConnection(
                config.get(BOOTSTRAP_SERVERS, "127.0.0.1:9092"),
                config.get(SECURITY_PROTOCOL, "PLAINTEXT"),
                config.find(SASL_MECHANISM),
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
