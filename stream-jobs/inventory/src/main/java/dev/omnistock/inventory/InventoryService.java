package dev.omnistock.inventory;

import dev.omnistock.config.Config;
import dev.omnistock.inventory.api.InventoryApi;
import dev.omnistock.inventory.api.TaskWatch;
import dev.omnistock.serde.SchemaRegistry;
import dev.omnistock.streams.StreamThreadFailures;
import dev.omnistock.topics.TopicProvisioner;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the inventory service: provisions its topics, runs the topology and serves the storefront API until stopped. */
public final class InventoryService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InventoryService.class);

    private final InventoryConfig config;
    private final TaskWatch tasks;
    private final KafkaStreams streams;
    private final CountDownLatch failed = new CountDownLatch(1);
    private final StreamThreadFailures failures;
    private InventoryApi api;
    private boolean closed;

    public InventoryService(InventoryConfig config) {
        this.config = config;
        this.tasks = new TaskWatch(config.topology().build());
        this.streams = tasks.streams(config.streamsProperties());
        this.failures = StreamThreadFailures.install(streams, "Inventory service", (now, before) -> {
            if (now == KafkaStreams.State.ERROR) {
                failed.countDown();
            }
        });
    }

    /** How many stream threads were replaced after a failure that should pass (registry or broker away). */
    public int threadsReplaced() {
        return failures.threadsReplaced();
    }

    public void start() {
        try (Admin admin = Admin.create(config.kafka().clientProperties())) {
            new TopicProvisioner(admin, SchemaRegistry.connect(config.registryConfig())).provision(config.topics().all());
            checkCoPartitioned(admin, config.topology().coPartitionedTopics());
        }
        streams.start();
        api = new InventoryApi(streams, tasks, new HostInfo(config.advertisedHost(), config.httpPort()), config.httpHost(),
                config.kafka(), config.topics(), config.feedMaxPendingChars(),
                config.feedHeartbeat(), config.feedMaxSubscribers(), config.apiKeys(), config.requestGuard()).start();
        log.info("Inventory service started: application {}, state in {}, API on http://{}:{}",
                config.applicationId(), config.stateDir(), config.httpHost(), config.httpPort());
    }

    /** Refuses to start on topics (a customer's own, say) whose partition counts would split a SKU's ledger or an order. */
    static void checkCoPartitioned(Admin admin, List<List<String>> groups) {
        for (List<String> group : groups) {
            Map<String, Integer> partitions = new TreeMap<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (partitions.isEmpty()) {
                try {
                    admin.describeTopics(group).allTopicNames().get(60, TimeUnit.SECONDS)
                            .forEach((name, description) -> partitions.put(name, description.partitions().size()));
                } catch (ExecutionException e) {
                    // A topic another service has just created may not be known to every broker yet.
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.RetriableException) || System.nanoTime() > deadline) {
                        throw new IllegalStateException("Could not describe topics " + group + " to check their partitions: " + e.getMessage(), e);
                    }
                    log.info("Topics {} are not known to the broker yet ({}); asking again", group, e.getCause().getMessage());
                    pause();
                } catch (TimeoutException e) {
                    throw new IllegalStateException("Could not describe topics " + group + " to check their partitions: " + e.getMessage(), e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            if (new HashSet<>(partitions.values()).size() > 1) {
                throw new IllegalStateException("Topics " + partitions.keySet() + " must have equal partition counts, but have "
                        + partitions + ": records of one key would reach different tasks and split its state. Recreate or "
                        + "expand them to one count (OMNISTOCK_TOPIC_PARTITIONS for topics the service creates).");
            }
        }
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for topics to be known", e);
        }
    }

    public KafkaStreams streams() {
        return streams;
    }

    /**
     * SIGTERM's stop: not ready at once, so that Kubernetes and load balancers stop sending, yet still answering
     * for the drain (they take seconds to notice); then closes as {@link #close} does, waiting for requests in flight.
     */
    public void stopGracefully() {
        Duration drain = config.shutdownDrain();
        if (api != null && !drain.isZero()) {
            api.stopAccepting();
            log.info("Stopping: not ready, still serving for {} ms (INVENTORY_SHUTDOWN_DRAIN_MS)", drain.toMillis());
            try {
                TimeUnit.MILLISECONDS.sleep(drain.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        close();
        log.info("Inventory service stopped");
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
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
        Runtime.getRuntime().addShutdownHook(new Thread(service::stopGracefully, "inventory-shutdown"));
        service.start();
        service.failed.await();
        log.error("Kafka Streams is in ERROR; the inventory service exits with status 1 so that it is restarted.");
        System.exit(1);
    }
}
