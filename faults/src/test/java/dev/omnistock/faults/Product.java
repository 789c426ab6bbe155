package dev.omnistock.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnistock.testsupport.ChildJvm;
import dev.omnistock.testsupport.FlinkSessionCluster;
import dev.omnistock.testsupport.FreePorts;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.TestNamespace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * The whole product on one namespace of the stack, each service in a JVM of its own from its shaded jar:
 * the inventory service, two ingestion API instances, the analytics job (embedded Flink, or submitted
 * to a Flink session cluster of the suite's own) and the notifier, whose one webhook subscription takes every
 * order-status and alert notice to a {@link NoticeReceiver} in the test JVM.
 */
final class Product {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String KEYS = "WEB:web-f,MOBILE_APP:app-f,MARKETPLACE:mp-f,STORE_POS:pos-f,SOCIAL:social-f,WAREHOUSE:wms-f";
    private static final Path REPO = Path.of("..");
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Path ANALYTICS_JAR = REPO.resolve("stream-jobs/analytics/target/analytics-job.jar");
    /** At once, then every 2 s for about ten minutes: a delivery outlasts any fault's outage and still settles within the run. */
    private static final String RETRY_SCHEDULE = "0s" + ",2s".repeat(300);

    final Map<String, String> shared;
    final ChildJvm inventory;
    final String inventoryUrl;
    final List<ChildJvm> ingestion;
    final List<String> ingestionUrls;
    /** The analytics job embedded in a JVM of its own, or null when it runs on {@link #flink}. */
    final ChildJvm analytics;
    /** The Flink session cluster the analytics job is submitted to, or null when it runs embedded. */
    FlinkSessionCluster flink;
    private String flinkJob;
    final ChildJvm notifier;
    final String notifierUrl;
    private final NoticeReceiver receiver;
    private final Map<String, String> analyticsEnv;
    private final Path workDir;
    private final boolean analyticsOnCluster;

    Product(RealStack stack, TestNamespace ns, Path workDir, boolean analyticsOnCluster, NoticeReceiver receiver) {
        this.workDir = workDir;
        this.receiver = receiver;
        this.analyticsOnCluster = analyticsOnCluster;
        shared = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers(),
                "SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl(),
                "OMNISTOCK_TOPIC_PREFIX", ns.topicPrefix(),
                "OMNISTOCK_TOPIC_PARTITIONS", "3");
        Path logs = workDir.resolve("logs");

        Map<String, String> inventoryEnv = new HashMap<>(shared);
        int inventoryPort = FreePorts.one();
        inventoryEnv.put("INVENTORY_APPLICATION_ID", ns.topic("inventory"));
        inventoryEnv.put("INVENTORY_STATE_DIR", workDir.resolve("inventory-state").toString());
        inventoryEnv.put("INVENTORY_HTTP_PORT", Integer.toString(inventoryPort));
        inventoryEnv.put("INVENTORY_GROUP_INSTANCE_ID", ns.topic("inventory-1"));
        inventory = new ChildJvm("inventory", REPO.resolve("stream-jobs/inventory/target/inventory-service.jar"), inventoryEnv, logs, "-Xmx512m");
        inventoryUrl = "http://127.0.0.1:" + inventoryPort;

        List<Integer> ports = FreePorts.take(2);
        ingestion = ports.stream().map(port -> {
            Map<String, String> env = new HashMap<>(shared);
            env.put("INGESTION_HTTP_PORT", Integer.toString(port));
            env.put("INGESTION_API_KEYS", KEYS);
            return new ChildJvm("ingestion-" + port, REPO.resolve("ingestion/target/ingestion-service.jar"), env, logs, "-Xmx256m");
        }).toList();
        ingestionUrls = ports.stream().map(port -> "http://127.0.0.1:" + port).toList();

        analyticsEnv = new HashMap<>(shared);
        analyticsEnv.put("CLICKHOUSE_URL", ns.clickHouseJdbcUrl());
        analyticsEnv.put("CLICKHOUSE_SINK_MAX_BATCH_DELAY_MS", "200");
        analyticsEnv.put("ANALYTICS_GROUP_ID", ns.topic("analytics"));
        analyticsEnv.put("ANALYTICS_PARALLELISM", "1");
        analyticsEnv.put("ANALYTICS_CHECKPOINT_DIR", workDir.resolve("checkpoints").toString());
        analyticsEnv.put("ANALYTICS_CHECKPOINT_INTERVAL_MS", "2000");
        analyticsEnv.put("ANALYTICS_TMP_DIR", workDir.resolve("flink-tmp").toString());
        analyticsEnv.put("ANALYTICS_OUT_OF_ORDERNESS_MS", "1000");
        analyticsEnv.put("ANALYTICS_IDLENESS_MS", "2000");
        // The final clock order lies minutes ahead: every order of the run must still count after it.
        analyticsEnv.put("ANALYTICS_ALLOWED_LATENESS_MS", Long.toString(Duration.ofHours(6).toMillis()));
        analytics = analyticsOnCluster ? null : new ChildJvm("analytics", ANALYTICS_JAR, analyticsEnv, logs, "-Xmx768m");

        Map<String, String> notifierEnv = new HashMap<>(shared);
        int notifierPort = FreePorts.one();
        notifierEnv.put("NOTIFY_HTTP_PORT", Integer.toString(notifierPort));
        notifierEnv.put("NOTIFY_GROUP_ID", ns.topic("notifier"));
        // The receiver is on loopback over http: only an allow-listed host may be.
        notifierEnv.put("NOTIFY_ALLOWED_TARGET_HOSTS", "127.0.0.1");
        notifierEnv.put("NOTIFY_RETRY_SCHEDULE", RETRY_SCHEDULE);
        notifier = new ChildJvm("notifier", REPO.resolve("sinks/notify/target/notifier.jar"), notifierEnv, logs, "-Xmx384m");
        notifierUrl = "http://127.0.0.1:" + notifierPort;
    }

    void start() throws Exception {
        inventory.start();
        for (ChildJvm api : ingestion) {
            api.start();
        }
        if (analyticsOnCluster) {
            flink = FlinkSessionCluster.start(workDir.resolve("flink"));
            flinkJob = flink.submit(ANALYTICS_JAR.toAbsolutePath(), analyticsEnv);
        } else {
            analytics.start();
        }
        notifier.start();
        awaitInventoryReady();
        awaitNotifierReady();
        // Before any load: a notice reaches the subscriptions that existed when the notifier first read it.
        String subscription = ChildJvm.post(notifierUrl + "/v1/subscriptions", JSON.writeValueAsString(Map.of("kind", "webhook",
                "target", receiver.url(), "filter", Map.of("kinds", List.of("order.status.*", "inventory.alert.*")))));
        receiver.trust(JSON.readTree(subscription).get("secret").asText());
        for (String url : ingestionUrls) {
            Awaitility.await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> ChildJvm.answers200(url + "/health/live"));
        }
    }

    void awaitInventoryReady() {
        Awaitility.await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> ChildJvm.answers200(inventoryUrl + "/health/ready"));
    }

    void awaitNotifierReady() {
        Awaitility.await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> ChildJvm.answers200(notifierUrl + "/health/ready"));
    }

    /** Whether the analytics job still runs: its process, or its job on the session cluster. */
    boolean analyticsRunning() throws Exception {
        return analyticsOnCluster ? "RUNNING".equals(flink.state(flinkJob)) : analytics.alive();
    }

    void stop() throws Exception {
        for (ChildJvm api : ingestion) {
            api.stop();
        }
        if (flink != null) {
            flink.close();
        } else {
            analytics.stop();
        }
        notifier.stop();
        inventory.stop();
    }
}
