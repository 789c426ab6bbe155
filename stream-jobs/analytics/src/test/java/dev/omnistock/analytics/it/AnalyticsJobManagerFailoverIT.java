package dev.omnistock.analytics.it;

import static dev.omnistock.analytics.it.ClusterJobs.STEP;
import static dev.omnistock.analytics.it.ClusterJobs.secondsSince;
import static dev.omnistock.analytics.it.ClusterJobs.submit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.omnistock.testsupport.FlinkSessionCluster;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job manager high availability (STACK_FLINK_HA=zookeeper: ZooKeeper from Flink's own jars, two job
 * managers): the leading job manager killed with -9 while orders keep coming; the standby is elected,
 * takes the job over and restores it from its last checkpoint; ClickHouse's totals end exactly at the
 * generator's truth.
 */
@ExtendWith(RealStackExtension.class)
class AnalyticsJobManagerFailoverIT {

    private static final Logger log = LoggerFactory.getLogger(AnalyticsJobManagerFailoverIT.class);

    @Test
    void theStandbyTakesTheJobOverFromItsLastCheckpointWhenTheLeaderIsKilled(RealStack real, TestNamespace ns) throws Exception {
        assertThat(ClusterJobs.JOB_JAR).as("the shaded job jar (built by `mvn package`)").exists();
        Path work = Path.of("target", "failover-it", ns.topicPrefix()).toAbsolutePath();
        try (AnalyticsStack stack = new AnalyticsStack(real, ns, AnalyticsRescaleIT.settings(work));
             FlinkSessionCluster cluster = FlinkSessionCluster.start(work.resolve("flink"),
                     Map.of("STACK_FLINK_HA", "zookeeper", "STACK_FLINK_TASKMANAGERS", "2"));
             GeneratedOrders orders = new GeneratedOrders(stack, 35, AnalyticsRescaleIT.PARTITIONS, 200)) {
            String job = submit(cluster, stack, 4, "none");
            await().atMost(STEP).ignoreExceptions().until(() -> cluster.completedCheckpoints(job) >= 2);
            orders.awaitMore();

            String leader = cluster.leader().orElseThrow(() -> new AssertionError("no job manager leads"));
            String standby = leader.equals("jobmanager") ? "jobmanager2" : "jobmanager";
            long killed = System.nanoTime();
            cluster.kill(leader);
            await().atMost(STEP).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> cluster.leader().equals(Optional.of(standby)));
            String elected = secondsSince(killed);
            // The same job, recovered by the new leader from the high-availability store, restored from a checkpoint.
            await().atMost(STEP).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> cluster.allTasksRunning(job) && cluster.restoredCheckpoint(job).isPresent());
            log.info("kill -9 of the leading job manager: the standby elected after {} s, the job running from checkpoint {} after {} s",
                    elected, cluster.restoredCheckpoint(job).orElseThrow(), secondsSince(killed));

            orders.awaitMore();
            AnalyticsRescaleIT.awaitExactTotals(stack, orders);
            cluster.cancel(job);
        }
    }
}
