package dev.omnistock.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Flink session cluster of its own (one job manager, one task manager) started by
 * {@code infra/local-stack up flink}, and jobs submitted to it by {@code infra/flink/bin/flink run},
 * as a user submits them to their cluster.
 */
public final class FlinkSessionCluster implements AutoCloseable {

    private static final Pattern SUBMITTED = Pattern.compile("Job has been submitted with JobID ([0-9a-f]{32})");

    private final Path dir;
    private final Map<String, String> stackEnv = new HashMap<>();
    private final String restUrl;

    private FlinkSessionCluster(Path dir, int restPort, int rpcPort) {
        this.dir = dir;
        stackEnv.put("STACK_DIR", dir.toString());
        stackEnv.put("STACK_FLINK_REST_PORT", Integer.toString(restPort));
        stackEnv.put("STACK_FLINK_RPC_PORT", Integer.toString(rpcPort));
        // Stopped by infra/local-stack's watchdog even if this JVM dies before close().
        stackEnv.put("STACK_OWNER_PID", Long.toString(ProcessHandle.current().pid()));
        this.restUrl = "http://127.0.0.1:" + restPort;
    }

    public static FlinkSessionCluster start(Path dir) {
        List<Integer> ports = FreePorts.take(2);
        FlinkSessionCluster cluster = new FlinkSessionCluster(dir.toAbsolutePath(), ports.get(0), ports.get(1));
        cluster.run(Map.of(), Duration.ofMinutes(10), "infra/local-stack", "up", "flink");
        return cluster;
    }

    /** {@code flink run -d <jar>} with the job's settings as its environment; returns the job id. */
    public String submit(Path jar, Map<String, String> jobEnvironment) throws Exception {
        String output = run(jobEnvironment, Duration.ofMinutes(2), "infra/flink/bin/flink", "run", "-d", jar.toString());
        Matcher submitted = SUBMITTED.matcher(output);
        if (!submitted.find()) {
            throw new IllegalStateException("flink run did not report a submitted job:\n" + output);
        }
        return submitted.group(1);
    }

    /** The job's state as the cluster's REST API reports it, e.g. RUNNING. */
    public String state(String jobId) throws Exception {
        String body = http(HttpRequest.newBuilder(URI.create(restUrl + "/jobs/" + jobId)).GET().build());
        Matcher state = Pattern.compile("\"state\":\"([A-Z_]+)\"").matcher(body);
        return state.find() ? state.group(1) : "UNKNOWN";
    }

    public void cancel(String jobId) throws Exception {
        http(HttpRequest.newBuilder(URI.create(restUrl + "/jobs/" + jobId + "?mode=cancel"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()).build());
    }

    /** kill -9 the task manager: its slots and the job's tasks on them are gone at once. */
    public void killTaskManager() throws Exception {
        long pid = Long.parseLong(Files.readString(dir.resolve("taskmanager.pid")).trim());
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no task manager process " + pid));
        handle.destroyForcibly();
        handle.onExit().get(30, TimeUnit.SECONDS);
    }

    /** Starts a task manager again and waits until it has registered with the job manager. */
    public void startTaskManager() {
        run(Map.of(), Duration.ofMinutes(3), "infra/local-stack", "up", "taskmanager");
    }

    @Override
    public void close() throws Exception {
        run(Map.of(), Duration.ofMinutes(2), "infra/local-stack", "down");
    }

    private String http(HttpRequest request) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " answered " + response.statusCode()
                    + ": " + response.body());
        }
        return response.body();
    }

    private String run(Map<String, String> jobEnvironment, Duration timeout, String script, String... args) {
        Map<String, String> env = new HashMap<>(stackEnv);
        env.putAll(jobEnvironment);
        Path output = dir.resolve(Path.of(script).getFileName() + "-" + args[0] + ".out");
        return InfraScripts.run(env, output, timeout, script, args);
    }
}
