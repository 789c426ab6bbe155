package dev.omnistock.analytics.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
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
final class FlinkCluster implements AutoCloseable {

    private static final Pattern SUBMITTED = Pattern.compile("Job has been submitted with JobID ([0-9a-f]{32})");

    private final Path root;
    private final Map<String, String> stackEnv = new HashMap<>();
    private final String restUrl;

    private FlinkCluster(Path root, Path dir, int restPort, int rpcPort) {
        this.root = root;
        stackEnv.put("STACK_DIR", dir.toString());
        stackEnv.put("STACK_FLINK_REST_PORT", Integer.toString(restPort));
        stackEnv.put("STACK_FLINK_RPC_PORT", Integer.toString(rpcPort));
        // Stopped by infra/local-stack's watchdog even if this JVM dies before close().
        stackEnv.put("STACK_OWNER_PID", Long.toString(ProcessHandle.current().pid()));
        this.restUrl = "http://127.0.0.1:" + restPort;
    }

    static FlinkCluster start(Path dir) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(root.resolve("infra/local-stack"))) {
            root = root.getParent();
            if (root == null) {
                throw new IllegalStateException("No infra/local-stack above " + Path.of("").toAbsolutePath());
            }
        }
        Files.createDirectories(dir);
        List<Integer> ports = freePorts();
        FlinkCluster cluster = new FlinkCluster(root, dir.toAbsolutePath(), ports.get(0), ports.get(1));
        cluster.run(Map.of(), TimeUnit.MINUTES.toSeconds(10), "bash", "infra/local-stack", "up", "flink");
        return cluster;
    }

    /** {@code flink run -d <jar>} with the job's settings as its environment; returns the job id. */
    String submit(Path jar, Map<String, String> jobEnvironment) throws Exception {
        String output = run(jobEnvironment, 120, "bash", "infra/flink/bin/flink", "run", "-d", jar.toString());
        Matcher submitted = SUBMITTED.matcher(output);
        if (!submitted.find()) {
            throw new IllegalStateException("flink run did not report a submitted job:\n" + output);
        }
        return submitted.group(1);
    }

    /** The job's state as the cluster's REST API reports it, e.g. RUNNING. */
    String state(String jobId) throws Exception {
        String body = http(HttpRequest.newBuilder(URI.create(restUrl + "/jobs/" + jobId)).GET().build());
        Matcher state = Pattern.compile("\"state\":\"([A-Z_]+)\"").matcher(body);
        return state.find() ? state.group(1) : "UNKNOWN";
    }

    void cancel(String jobId) throws Exception {
        http(HttpRequest.newBuilder(URI.create(restUrl + "/jobs/" + jobId + "?mode=cancel"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()).build());
    }

    @Override
    public void close() throws Exception {
        run(Map.of(), 120, "bash", "infra/local-stack", "down");
    }

    private String http(HttpRequest request) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " answered " + response.statusCode()
                    + ": " + response.body());
        }
        return response.body();
    }

    private String run(Map<String, String> extraEnvironment, long timeoutSeconds, String... command) throws Exception {
        Path output = Files.createTempFile(Path.of(stackEnv.get("STACK_DIR")).getParent(), "flink-cluster-", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(stackEnv);
        builder.environment().putAll(extraEnvironment);
        Process process = builder.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " took over " + timeoutSeconds + " s; see " + output);
        }
        String text = Files.readString(output);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue() + "):\n" + text);
        }
        return text;
    }

    private static List<Integer> freePorts() throws IOException {
        try (ServerSocket rest = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket rpc = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return List.of(rest.getLocalPort(), rpc.getLocalPort());
        }
    }
}
