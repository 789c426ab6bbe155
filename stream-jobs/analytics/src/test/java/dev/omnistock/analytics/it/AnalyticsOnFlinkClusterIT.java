package dev.omnistock.analytics.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.omnistock.events.OrderEvent;
import dev.omnistock.testsupport.FlinkSessionCluster;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shaded job jar submitted with {@code flink run} to a Flink session cluster (not the embedded
 * one), reading the real broker and writing the real ClickHouse: the second way the job runs.
 */
@ExtendWith(RealStackExtension.class)
class AnalyticsOnFlinkClusterIT {

    private static final Path JOB_JAR = Path.of("target", "analytics-job.jar");

    @Test
    void theJobJarRunsOnAFlinkClusterAndWritesExactTotals(RealStack real, TestNamespace ns) throws Exception {
        assertThat(JOB_JAR).as("the shaded job jar (built by `mvn package`)").exists();
        try (AnalyticsStack stack = new AnalyticsStack(real, ns, Map.of());
             FlinkSessionCluster cluster = FlinkSessionCluster.start(Path.of("target", "flink-cluster-it", ns.topicPrefix()))) {
            String job = cluster.submit(JOB_JAR.toAbsolutePath(), stack.environment);
            await().atMost(Duration.ofSeconds(60)).until(() -> cluster.state(job).equals("RUNNING"));

            List<OrderEvent> orders = OrderBatch.of("cluster", Instant.parse("2026-11-23T10:00:00Z"));
            OrderBatch.send(stack, orders);
            OrderBatch.awaitTotals(stack, OrderBatch.expectedAllButLastClocks(orders));

            assertThat(cluster.state(job)).isEqualTo("RUNNING");
            cluster.cancel(job);
            await().atMost(Duration.ofSeconds(60)).until(() -> cluster.state(job).equals("CANCELED"));
        }
    }
}
