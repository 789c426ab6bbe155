package dev.omnistock.analytics.it;

import static dev.omnistock.analytics.it.ClusterJobs.STEP;
import static dev.omnistock.analytics.it.ClusterJobs.secondsSince;
import static dev.omnistock.analytics.it.ClusterJobs.submit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.omnistock.analytics.job.AnalyticsJob;
import dev.omnistock.testsupport.FlinkSessionCluster;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job jar on a session cluster of two task managers (infra/local-stack up flink), while the
 * generator's orders keep coming: at parallelism 4, stopped with a savepoint, resumed from it at 2,
 * stopped again, resumed at 4; then a task manager killed (-9) and started again. ClickHouse's totals
 * end exactly at the generator's truth: nothing lost or counted twice over the rescales and the kill.
 * The times each took are logged (docs/scaling.md).
 */
@ExtendWith(RealStackExtension.class)
class AnalyticsRescaleIT {

    private static final Logger log = LoggerFactory.getLogger(AnalyticsRescaleIT.class);
    static final int PARTITIONS = 4;

    @Test
    void theJobRescalesThroughSavepointsAndRidesOutATaskManagerKillWithExactTotals(RealStack real, TestNamespace ns) throws Exception {
        assertThat(ClusterJobs.JOB_JAR).as("the shaded job jar (built by `mvn package`)").exists();
        Path work = Path.of("target", "rescale-it", ns.topicPrefix()).toAbsolutePath();
        try (AnalyticsStack stack = new AnalyticsStack(real, ns, settings(work));
             FlinkSessionCluster cluster = FlinkSessionCluster.start(work.resolve("flink"), Map.of("STACK_FLINK_TASKMANAGERS", "2"));
             GeneratedOrders orders = new GeneratedOrders(stack, 34, PARTITIONS, 200)) {
            String job = submit(cluster, stack, 4, "none");
            assertThat(cluster.parallelisms(job)).containsOnly(4);
            assertThat(cluster.maxParallelisms(job)).containsOnly(AnalyticsJob.MAX_PARALLELISM);

            job = rescale(cluster, stack, orders, job, 2, work);
            assertThat(cluster.parallelisms(job)).containsOnly(2);
            job = rescale(cluster, stack, orders, job, 4, work);
            assertThat(cluster.parallelisms(job)).containsOnly(4);

            orders.awaitMore();
            String running = job;
            long restarts = cluster.restarts(running);
            long killed = System.nanoTime();
            cluster.kill("taskmanager2");
            // As a supervisor would: the job needs its 4 slots back.
            cluster.start("taskmanager2");
            await().atMost(STEP).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> cluster.restarts(running) > restarts && cluster.allTasksRunning(running));
            log.info("kill -9 of a task manager, a new one started at once: all tasks running again after {} s", secondsSince(killed));

            orders.awaitMore();
            awaitExactTotals(stack, orders);
            cluster.cancel(job);
        }
    }

    /** The settings of the job for a test on a cluster: 4 partitions, a checkpoint every 3 s, checkpoints under the test's directory. */
    static Map<String, String> settings(Path work) {
        return Map.of("OMNISTOCK_TOPIC_PARTITIONS", Integer.toString(PARTITIONS),
                "ANALYTICS_CHECKPOINT_INTERVAL_MS", "3000",
                "ANALYTICS_CHECKPOINT_DIR", work.resolve("checkpoints").toString());
    }

    /** Stops sending, then waits until ClickHouse holds exactly the generator's truth. */
    static void awaitExactTotals(AnalyticsStack stack, GeneratedOrders orders) throws Exception {
        long[] expected = orders.finish(PARTITIONS);
        await().atMost(STEP).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(GeneratedOrders.demandIn(stack))
                .as("demand_per_minute against the generator's truth %s (late facts: %s)", GeneratedOrders.describe(expected),
                        stack.query("SELECT count() FROM late_events").get(0).get(0))
                .containsExactly(expected));
        log.info("{} order events: totals exact, {}", orders.sent(), GeneratedOrders.describe(expected));
    }

    /** Stops the job with a savepoint and resumes it from there at another parallelism; returns the new job. */
    private static String rescale(FlinkSessionCluster cluster, AnalyticsStack stack, GeneratedOrders orders, String job, int parallelism,
                                  Path work) throws Exception {
        orders.awaitMore();
        long stopped = System.nanoTime();
        String savepoint = cluster.stopWithSavepoint(job, work.resolve("savepoints"), STEP);
        String stopSeconds = secondsSince(stopped);
        String resumed = submit(cluster, stack, parallelism, savepoint);
        // Restored from the savepoint, not started afresh from the offsets committed to Kafka (which the totals alone might not tell).
        await().atMost(STEP).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> cluster.restoredCheckpoint(resumed).isPresent());
        log.info("stop with a savepoint: {} s; resumed from it at parallelism {}: all tasks running {} s after the stop began",
                stopSeconds, parallelism, secondsSince(stopped));
        return resumed;
    }
}
