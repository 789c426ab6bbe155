package dev.omnistock.ingestion;

import dev.omnistock.config.Config;
import dev.omnistock.config.RequestGuard;
import dev.omnistock.config.Settings;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import dev.omnistock.config.KafkaConnection;
import dev.omnistock.config.SchemaRegistryConnection;
import dev.omnistock.ingestion.adapters.SkuCatalog;
import dev.omnistock.ingestion.api.ApiKeys;
import dev.omnistock.ingestion.api.IngestionApi;
import dev.omnistock.serde.SchemaRegistry;
import dev.omnistock.topics.TopicProvisioner;
import dev.omnistock.topics.Topics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the ingestion API: provisions the topics, then serves until stopped. */
public final class IngestionService {

    private static final Logger log = LoggerFactory.getLogger(IngestionService.class);

    private IngestionService() {
    }

    public static final String ALLOWED_HOSTS = "INGESTION_ALLOWED_HOSTS";

    /** The API's own settings; the keys (INGESTION_API_KEYS) are a secret, read from the environment only. */
    public static final ConfigDef SETTINGS = new ConfigDef()
            .define("INGESTION_HTTP_HOST", Type.STRING, "127.0.0.1", new ConfigDef.NonEmptyString(), Importance.HIGH, "bind address")
            .define("INGESTION_HTTP_PORT", Type.INT, 8080, ConfigDef.Range.between(0, 65535), Importance.HIGH, "port")
            .define(ALLOWED_HOSTS, Type.LIST, "", Importance.HIGH, "names clients reach the API by, besides the bind address and loopback")
            .define(SkuCatalog.ENV, Type.STRING, null, Importance.MEDIUM, "file of known SKUs");

    /** Starts the API with settings from {@code config} (see the README's configuration table). */
    public static IngestionApi start(Config config) {
        KafkaConnection kafka = KafkaConnection.from(config);
        Map<String, Object> registry = SchemaRegistryConnection.from(config).serdeConfig();
        Topics topics = Topics.from(config);
        ApiKeys keys = ApiKeys.parse(config.secret(ApiKeys.ENV).orElseThrow(() -> new IllegalArgumentException(
                ApiKeys.ENV + " is not set: give each channel a key, e.g. INGESTION_API_KEYS='WEB:s3cret,MARKETPLACE:0ther'")));
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            new TopicProvisioner(admin, SchemaRegistry.connect(registry)).provision(topics.all());
        }
        Settings settings = Settings.read(SETTINGS, config);
        String host = settings.string("INGESTION_HTTP_HOST");
        SkuCatalog catalog = settings.optional(SkuCatalog.ENV).map(path -> SkuCatalog.fromFile(Path.of(path))).orElseGet(SkuCatalog::anySku);
        IngestionApi api = new IngestionApi(host, settings.integer("INGESTION_HTTP_PORT"), keys,
                RequestGuard.forService(ALLOWED_HOSTS, List.of(host), settings.list(ALLOWED_HOSTS)), kafka, registry, topics, catalog).start();
        log.info("Ingestion API on http://{}:{}", host, api.port());
        return api;
    }

    public static void main(String[] args) throws InterruptedException {
        IngestionApi api = start(Config.fromEnvironment());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            api.close();
            stopped.countDown();
        }, "ingestion-shutdown"));
        stopped.await();
    }
}
