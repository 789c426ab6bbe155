package dev.omnistock.ingestion.gate;

import dev.omnistock.config.Config;
import dev.omnistock.config.Settings;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import dev.omnistock.config.KafkaConnection;
import dev.omnistock.config.SchemaRegistryConnection;
import dev.omnistock.serde.SchemaRegistry;
import dev.omnistock.streams.StreamThreadFailures;
import dev.omnistock.topics.TopicProvisioner;
import dev.omnistock.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the raw-topic gate (exactly-once) until stopped. Settings: the README's table, GATE_APPLICATION_ID. */
public final class GateService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GateService.class);

    private final KafkaStreams streams;
    private final CountDownLatch failed = new CountDownLatch(1);

    public static final ConfigDef SETTINGS = new ConfigDef()
            .define("GATE_APPLICATION_ID", Type.STRING, "omnistock-ingestion-gate", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "the gate's Kafka Streams application id")
            .define("GATE_STATE_DIR", Type.STRING, "state/gate", new ConfigDef.NonEmptyString(), Importance.HIGH, "state directory");

    public GateService(Config config) {
        Settings settings = Settings.read(SETTINGS, config);
        KafkaConnection kafka = KafkaConnection.from(config);
        Topics topics = Topics.from(config);
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            new TopicProvisioner(admin, SchemaRegistry.connect(SchemaRegistryConnection.from(config).serdeConfig())).provision(topics.all());
        }
        Properties props = new Properties();
        props.putAll(kafka.clientProperties());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.string("GATE_APPLICATION_ID"));
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, Path.of(settings.string("GATE_STATE_DIR")).toAbsolutePath().toString());
        streams = new KafkaStreams(new RawTopicGate(topics).build(), props);
        StreamThreadFailures.install(streams, "Ingestion gate", (now, before) -> {
            if (now == KafkaStreams.State.ERROR) {
                failed.countDown();
            }
        });
    }

    public KafkaStreams streams() {
        return streams;
    }

    public GateService start() {
        streams.start();
        return this;
    }

    @Override
    public void close() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(Duration.ofSeconds(30)));
    }

    public static void main(String[] args) throws InterruptedException {
        GateService gate = new GateService(Config.fromEnvironment()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(gate::close, "gate-shutdown"));
        gate.failed.await();
        log.error("The ingestion gate's Kafka Streams is in ERROR; exiting with status 1 so that it is restarted.");
        System.exit(1);
    }
}
