package dev.omnistock.inventory;

import static dev.omnistock.inventory.topology.InventoryEvents.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.omnistock.config.Config;
import dev.omnistock.events.StockEvent;
import dev.omnistock.testsupport.ChildJvm;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to the service in a JVM of its own, while a client keeps looking a SKU up: it turns not ready at
 * once, goes on answering lookups for the drain (INVENTORY_SHUTDOWN_DRAIN_MS), and then exits cleanly.
 */
@ExtendWith(RealStackExtension.class)
class GracefulShutdownIT {

    private static final String SKU = "SKU-DRAIN-1";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void sigtermTurnsNotReadyAndKeepsAnsweringThroughTheDrain(RealStack stack, TestNamespace ns, @TempDir Path state) throws Exception {
        Map<String, String> env = Instances.childEnvironment(stack, ns, state, 1);
        env.put("INVENTORY_SHUTDOWN_DRAIN_MS", "4000");
        InventoryConfig config = InventoryConfig.from(Config.of(env));
        String api = "http://127.0.0.1:" + env.get("INVENTORY_HTTP_PORT");
        ChildJvm service = new ChildJvm("service", Path.of("target/inventory-service.jar"), env,
                Path.of("target/graceful-shutdown/" + ns.topicPrefix()), "-Xmx384m");
        try {
            service.start();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> ChildJvm.answers200(api + "/health/ready"));
            try (KafkaProducer<String, StockEvent> producer = Instances.producer(config)) {
                producer.send(new ProducerRecord<>(config.topics().stockMovements().name(), SKU, count(SKU, "DC-EAST", 12))).get();
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> status(api + "/v1/availability/" + SKU) == 200);

            // A storefront client looking the SKU up without pause, as a load balancer would keep sending:
            // each lookup's start after SIGTERM in ms (-1 before it) and its status.
            List<long[]> lookups = Collections.synchronizedList(new ArrayList<>());
            AtomicLong terminatedAt = new AtomicLong();
            AtomicBoolean polling = new AtomicBoolean(true);
            Thread client = new Thread(() -> {
                while (polling.get()) {
                    long sent = terminatedAt.get() == 0 ? -1 : (System.nanoTime() - terminatedAt.get()) / 1_000_000;
                    lookups.add(new long[] {sent, status(api + "/v1/availability/" + SKU)});
                }
            }, "storefront-client");
            client.start();

            await().atMost(Duration.ofSeconds(10)).until(() -> lookups.size() >= 5);
            terminatedAt.set(System.nanoTime());
            service.terminate();
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).until(() -> status(api + "/health/ready") == 503);
            assertThat(service.alive()).isTrue();

            // A JVM ended by SIGTERM exits 128 + 15 once its shutdown hook has finished.
            assertThat(service.awaitExit(Duration.ofSeconds(45))).as("exit status").isEqualTo(143);
            polling.set(false);
            client.join();
            List<long[]> all;
            synchronized (lookups) {
                all = List.copyOf(lookups);
            }
            // Sent well inside the 4 s drain (the hook starts it just after the signal): every one answered.
            List<Long> drainStatuses = all.stream().filter(l -> l[0] >= 0 && l[0] < 3_000).map(l -> l[1]).toList();
            assertThat(drainStatuses).as("lookups sent within 3 s of SIGTERM").hasSizeGreaterThan(5).containsOnly(200L);
            assertThat(all.stream().map(l -> l[1])).as("statuses of every lookup").doesNotContain(500L);
        } finally {
            service.stop();
        }
    }

    /** The status a GET answers, or -1 when no connection is made (the service has closed its port). */
    private static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
