package dev.omnistock.analytics.it;

import dev.omnistock.analytics.AnalyticsConfig;
import dev.omnistock.analytics.AnalyticsService;
import dev.omnistock.config.Config;
import dev.omnistock.serde.AvroSerializer;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.TestNamespace;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The analytics job on the real broker, registry and ClickHouse of a test class's namespace. */
final class AnalyticsStack implements AutoCloseable {

    final AnalyticsConfig config;
    /** The settings, as the environment variables a `flink run` of the job jar would be given. */
    final Map<String, String> environment;
    private final KafkaProducer<String, SpecificRecord> producer;
    private final KafkaProducer<byte[], byte[]> rawProducer;

    AnalyticsStack(RealStack stack, TestNamespace ns, Map<String, String> overrides) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers());
        env.put("SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl());
        env.put("OMNISTOCK_TOPIC_PREFIX", ns.topicPrefix());
        env.put("OMNISTOCK_TOPIC_PARTITIONS", "2");
        env.put("CLICKHOUSE_URL", ns.clickHouseJdbcUrl());
        env.put("CLICKHOUSE_SINK_MAX_BATCH_DELAY_MS", "200");
        env.put("ANALYTICS_GROUP_ID", ns.topic("analytics"));
        env.put("ANALYTICS_PARALLELISM", "2");
        Path dir = Path.of("target", "analytics-it", ns.topicPrefix()).toAbsolutePath();
        env.put("ANALYTICS_CHECKPOINT_DIR", dir.resolve("checkpoints").toString());
        env.put("ANALYTICS_TMP_DIR", dir.resolve("tmp").toString());
        // Checkpoints only when a test takes one, so it knows exactly what each holds.
        env.put("ANALYTICS_CHECKPOINT_INTERVAL_MS", "3600000");
        env.put("ANALYTICS_OUT_OF_ORDERNESS_MS", "1000");
        // Long enough that a source subtask slow to make its first fetch is not taken for an idle partition
        // (the other one's clock would then make its records late); a test about idleness sets its own.
        env.put("ANALYTICS_IDLENESS_MS", "30000");
        env.put("ANALYTICS_ALLOWED_LATENESS_MS", "60000");
        env.putAll(overrides);
        environment = Map.copyOf(env);
        config = AnalyticsConfig.from(Config.of(env));
        AnalyticsService.prepare(config);

        Map<String, Object> props = new HashMap<>(config.kafka().clientProperties());
        props.putAll(config.registryConfig());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(props, new StringSerializer(), avroSerializer(props));
        rawProducer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static AvroSerializer<SpecificRecord> avroSerializer(Map<String, Object> props) {
        AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>();
        serializer.configure(props, false);
        return serializer;
    }

    /** Starts the job embedded, as AnalyticsService's main does. */
    AnalyticsService.Embedded start() throws Exception {
        Configuration flink = AnalyticsService.flinkConfiguration(config);
        StreamExecutionEnvironment env = AnalyticsService.environment(config, flink);
        AnalyticsService.job(config).build(env);
        return AnalyticsService.startEmbedded(config, flink, env);
    }

    void send(String topic, String key, SpecificRecord value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    void sendTo(String topic, int partition, String key, SpecificRecord value) throws Exception {
        producer.send(new ProducerRecord<>(topic, partition, key, value)).get();
    }

    void sendRaw(String topic, byte[] key, byte[] value) throws Exception {
        rawProducer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    /** Rows of a query, each as a list of its column values (as strings). */
    List<List<String>> query(String sql, Object... parameters) throws Exception {
        try (Connection connection = config.clickHouse().open(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<List<String>> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int c = 1; c <= meta.getColumnCount(); c++) {
                        row.add(rs.getString(c));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    /** A query of the SQL pack, infra/clickhouse/queries. */
    List<List<String>> pack(String name, Object... parameters) throws Exception {
        try (InputStream in = AnalyticsStack.class.getResourceAsStream("/clickhouse/queries/" + name + ".sql")) {
            if (in == null) {
                throw new IOException("No query " + name + " in infra/clickhouse/queries");
            }
            return query(new String(in.readAllBytes(), StandardCharsets.UTF_8), parameters);
        }
    }

    @Override
    public void close() {
        producer.close();
        rawProducer.close();
    }
}
