package dev.omnistock.analytics.it;

import static org.awaitility.Awaitility.await;

import dev.omnistock.testsupport.FlinkSessionCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The job jar submitted to a session cluster of a test's own, as `flink run` submits it. */
final class ClusterJobs {

    static final Path JOB_JAR = Path.of("target", "analytics-job.jar");
    /** The longest any one step may take on a loaded machine (2 cores shared with other tests). */
    static final Duration STEP = Duration.ofMinutes(4);

    private ClusterJobs() {
    }

    /** Submits the job at the parallelism, from the checkpoint or savepoint ("none": fresh), and waits until every task runs. */
    static String submit(FlinkSessionCluster cluster, AnalyticsStack stack, int parallelism, String restoreFrom) throws Exception {
        Map<String, String> env = new HashMap<>(stack.environment);
        env.put("ANALYTICS_PARALLELISM", Integer.toString(parallelism));
        env.put("ANALYTICS_RESTORE_FROM", restoreFrom);
        String job = cluster.submit(JOB_JAR.toAbsolutePath(), env);
        await().atMost(STEP).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> cluster.allTasksRunning(job));
        return job;
    }

    static String secondsSince(long nanoTime) {
        return String.format("%.1f", (System.nanoTime() - nanoTime) / 1e9);
    }
}
