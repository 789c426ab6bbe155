package dev.omnistock.analytics;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.StreamSupport;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A Flink cluster inside this process (one task manager), for running the job without a Flink
 * installation, and for tests that checkpoint, stop and restore it.
 */
public final class EmbeddedFlink implements AutoCloseable {

    private final MiniCluster cluster;

    private EmbeddedFlink(MiniCluster cluster) {
        this.cluster = cluster;
    }

    public static EmbeddedFlink start(Configuration configuration, int slots) throws Exception {
        Configuration conf = new Configuration(configuration);
        // Its REST endpoint (the web UI) stays on loopback, on a free port unless one is configured.
        if (!conf.contains(RestOptions.BIND_ADDRESS)) {
            conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        }
        if (!conf.contains(RestOptions.BIND_PORT)) {
            conf.set(RestOptions.BIND_PORT, "0");
        }
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf).setNumTaskManagers(1).setNumSlotsPerTaskManager(slots).build());
        cluster.start();
        return new EmbeddedFlink(cluster);
    }

    /** Submits the job built on {@code env} (whose configuration names any checkpoint to restore from). */
    public JobID submit(StreamExecutionEnvironment env) throws Exception {
        return cluster.submitJob(env.getStreamGraph()).get(1, TimeUnit.MINUTES).getJobID();
    }

    /** Blocks until every task of the job is running: from then on, its time is spent on its work. */
    public void awaitTasksRunning(JobID job, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            AccessExecutionGraph graph = cluster.getExecutionGraph(job).get(30, TimeUnit.SECONDS);
            if (graph.getState().isGloballyTerminalState()) {
                throw new IllegalStateException("Job " + job + " ended (" + graph.getState() + ") before all its tasks ran");
            }
            if (StreamSupport.stream(graph.getAllExecutionVertices().spliterator(), false)
                    .allMatch(task -> task.getExecutionState() == ExecutionState.RUNNING)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Job " + job + " did not get all its tasks running within " + timeout);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    /** Takes a checkpoint now and returns its path, for a restart to restore from. */
    public String checkpoint(JobID job) throws Exception {
        return cluster.triggerCheckpoint(job).get(2, TimeUnit.MINUTES);
    }

    /** Blocks until the job ends, and fails if it failed. */
    public JobResult awaitEnd(JobID job) throws Exception {
        return cluster.requestJobResult(job).get();
    }

    public String restAddress() throws Exception {
        return cluster.getRestAddress().get(30, TimeUnit.SECONDS).toString();
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
