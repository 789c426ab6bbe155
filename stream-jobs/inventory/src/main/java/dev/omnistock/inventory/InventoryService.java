package dev.omnistock.inventory;

import dev.omnistock.config.Config;
import dev.omnistock.serde.SchemaRegistry;
import dev.omnistock.topics.TopicProvisioner;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the inventory service: provisions its topics, then runs the topology until stopped. */
public final class InventoryService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InventoryService.class);

    private final InventoryConfig config;
    private final KafkaStreams streams;

    public InventoryService(InventoryConfig config) {
        this.config = config;
        this.streams = new KafkaStreams(config.topology().build(), config.streamsProperties());
    }

    public void start() {
        try (Admin admin = Admin.create(config.kafka().clientProperties())) {
            new TopicProvisioner(admin, SchemaRegistry.connect(config.registryConfig())).provision(config.topics().all());
        }
        streams.setStateListener((now, before) -> log.info("Inventory service: {} -> {}", before, now));
        streams.start();
        log.info("Inventory service started: application {}, state in {}", config.applicationId(), config.stateDir());
    }

    public KafkaStreams streams() {
        return streams;
    }

    @Override
    public void close() {
        streams.close();
    }

    public static void main(String[] args) throws InterruptedException {
        InventoryService service = new InventoryService(InventoryConfig.from(Config.fromEnvironment()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "inventory-shutdown"));
        service.start();
        stopped.await();
    }
}
