package dev.omnistock.inventory;

import dev.omnistock.config.Config;
import dev.omnistock.inventory.api.InventoryApi;
import dev.omnistock.serde.SchemaRegistry;
import dev.omnistock.topics.TopicProvisioner;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import java.time.Duration;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the inventory service: provisions its topics, runs the topology and serves the storefront API until stopped. */
public final class InventoryService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InventoryService.class);

    private final InventoryConfig config;
    private final KafkaStreams streams;
    private InventoryApi api;

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
        api = new InventoryApi(streams, new HostInfo(config.advertisedHost(), config.httpPort()), config.httpHost(),
                config.kafka(), config.topics().inventoryAvailability(), config.feedMaxPendingChars(),
                config.feedHeartbeat()).start();
        log.info("Inventory service started: application {}, state in {}, API on http://{}:{}",
                config.applicationId(), config.stateDir(), config.httpHost(), config.httpPort());
    }

    public KafkaStreams streams() {
        return streams;
    }

    @Override
    public void close() {
        if (api != null) {
            api.close();
        }
        // A deliberate stop leaves the group, so the remaining or restarted instances take over at once
        // instead of waiting out this member's session timeout.
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
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
