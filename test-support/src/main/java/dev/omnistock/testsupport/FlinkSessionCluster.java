package dev.omnistock.testsupport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Flink session cluster of its own started by {@code infra/local-stack up flink}, and jobs submitted
 * to it by {@code infra/flink/bin/flink run}, as a user submits them to their cluster.
 */
public final class FlinkSessionCluster implements AutoCloseable {

    private static final Pattern SUBMITTED = Pattern.compile("Job has been submitted with JobID ([0-9a-f]{32})");
    private static final Pattern LEADERSHIP = Pattern.compile("DispatcherRestEndpoint - \\S+ was (granted|revoked) leadership");

    private final Path dir;
    private final Map<String, String> stackEnv = new HashMap<>();
    /** The job manager's REST API, then the standby's (high availability): whichever answers. */
    private final List<String> restUrls;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private FlinkSessionCluster(Path dir, List<Integer> ports, Map<String, String> settings) {
        this.dir = dir;
        stackEnv.put("STACK_DIR", dir.toString());
        stackEnv.put("STACK_FLINK_REST_PORT", Integer.toString(ports.get(0)));
        stackEnv.put("STACK_FLINK_RPC_PORT", Integer.toString(ports.get(1)));
        stackEnv.put("STACK_FLINK_STANDBY_REST_PORT", Integer.toString(ports.get(2)));
        stackEnv.put("STACK_FLINK_ZOOKEEPER_PORT", Integer.toString(ports.get(3)));
        stackEnv.putAll(settings);
        // Stopped by infra/local-stack's watchdog even if this JVM dies before close().
        stackEnv.put("STACK_OWNER_PID", Long.toString(ProcessHandle.current().pid()));
        this.restUrls = List.of("http://127.0.0.1:" + ports.get(0), "http://127.0.0.1:" + ports.get(2));
    }

    /** One job manager and one task manager, whose kill stops every task of a job ({@link #killTaskManager()}). */
    public static FlinkSessionCluster start(Path dir) {
        return start(dir, Map.of("STACK_FLINK_TASKMANAGERS", "1"));
    }

    /** A cluster of infra/local-stack's settings (e.g. {@code STACK_FLINK_TASKMANAGERS}, {@code STACK_FLINK_HA}), on free ports. */
    public static FlinkSessionCluster start(Path dir, Map<String, String> settings) {
        FlinkSessionCluster cluster = new FlinkSessionCluster(dir.toAbsolutePath(), FreePorts.take(4), settings);
        cluster.run(Map.of(), Duration.ofMinutes(10), "infra/local-stack", "up", "flink");
        return cluster;
    }

    /** {@code flink run -d <jar>} with the job's settings as its environment; returns the job id. */
    public String submit(Path jar, Map<String, String> jobEnvironment) throws Exception {
        String output = run(jobEnvironment, Duration.ofMinutes(3), "infra/flink/bin/flink", "run", "-d", jar.toString());
        Matcher submitted = SUBMITTED.matcher(output);
        if (!submitted.find()) {
            throw new IllegalStateException("flink run did not report a submitted job:\n" + output);
        }
        return submitted.group(1);
    }

    /** The job's state as the cluster's REST API reports it, e.g. RUNNING. */
    public String state(String jobId) throws Exception {
        return first(Pattern.compile("\"state\":\"([A-Z_]+)\""), job(jobId)).orElse("UNKNOWN");
    }

    /** Whether the job runs and every task of it runs (not only scheduled or still restoring its state). */
    public boolean allTasksRunning(String jobId) throws Exception {
        String body = job(jobId);
        List<String> vertices = all(Pattern.compile("\"status\":\"([A-Z_]+)\""), body);
        return state(jobId).equals("RUNNING") && !vertices.isEmpty() && vertices.stream().allMatch("RUNNING"::equals);
    }

    /** The parallelism of each operator chain of the job. */
    public List<Integer> parallelisms(String jobId) throws Exception {
        return all(Pattern.compile("\"parallelism\":(\\d+)"), job(jobId)).stream().map(Integer::valueOf).toList();
    }

    /** The max parallelism (number of key groups) of each operator chain of the job. */
    public List<Integer> maxParallelisms(String jobId) throws Exception {
        return all(Pattern.compile("\"maxParallelism\":(\\d+)"), job(jobId)).stream().map(Integer::valueOf).toList();
    }

    /** How often the job has restarted since it was submitted (after a lost task manager, a failure). */
    public long restarts(String jobId) throws Exception {
        return first(Pattern.compile("\"value\":\"(\\d+)\""), http("GET", "/jobs/" + jobId + "/metrics?get=numRestarts", null))
                .map(Long::parseLong).orElse(0L);
    }

    /** How many checkpoints of the job completed. */
    public long completedCheckpoints(String jobId) throws Exception {
        return first(Pattern.compile("\"counts\":\\{[^}]*\"completed\":(\\d+)"), checkpoints(jobId)).map(Long::parseLong).orElse(0L);
    }

    /** The checkpoint the job last restored its state from, if it restored one. */
    public Optional<Long> restoredCheckpoint(String jobId) throws Exception {
        return first(Pattern.compile("\"restored\":\\{\"id\":(\\d+)"), checkpoints(jobId)).map(Long::parseLong);
    }

    private String checkpoints(String jobId) throws Exception {
        return http("GET", "/jobs/" + jobId + "/checkpoints", null);
    }

    public void cancel(String jobId) throws Exception {
        http("PATCH", "/jobs/" + jobId + "?mode=cancel", null);
    }

    /**
     * {@code flink stop}: a savepoint into the directory, then the job ends (without draining: no
     * event-time window is fired early). Returns the savepoint's path once it is complete.
     */
    public String stopWithSavepoint(String jobId, Path savepoints, Duration timeout) throws Exception {
        String body = "{\"targetDirectory\":\"" + savepoints.toAbsolutePath().toUri() + "\",\"drain\":false}";
        String trigger = http("POST", "/jobs/" + jobId + "/stop", body);
        String requestId = first(Pattern.compile("\"request-id\":\"([0-9a-f]+)\""), trigger)
                .orElseThrow(() -> new IllegalStateException("stop answered no request id: " + trigger));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String status = http("GET", "/jobs/" + jobId + "/savepoints/" + requestId, null);
            if (status.contains("\"COMPLETED\"")) {
                return first(Pattern.compile("\"location\":\"([^\"]+)\""), status)
                        .orElseThrow(() -> new IllegalStateException("The stop of " + jobId + " failed: " + status));
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new IllegalStateException("No savepoint of " + jobId + " within " + timeout);
    }

    /** kill -9 the task manager: its slots and the job's tasks on them are gone at once. */
    public void killTaskManager() {
        kill("taskmanager");
    }

    /** {@code infra/local-stack kill <part>}: kill -9 one part of the cluster (taskmanager2, jobmanager, zookeeper, ...). */
    public void kill(String part) {
        run(Map.of(), Duration.ofMinutes(1), "infra/local-stack", "kill", part);
    }

    /** Starts a task manager again and waits until it has registered with the job manager. */
    public void startTaskManager() {
        start("taskmanager");
    }

    /** Starts a part again and waits until it is ready (a task manager: registered). */
    public void start(String part) {
        run(Map.of(), Duration.ofMinutes(3), "infra/local-stack", "up", part);
    }

    /**
     * The job manager that leads (high availability): of those running (a pid file: infra/local-stack's
     * kill removes it), the one whose REST endpoint was
     * last granted leadership and not revoked it since.
     */
    public Optional<String> leader() throws IOException {
        for (String part : List.of("jobmanager", "jobmanager2")) {
            if (!Files.exists(dir.resolve(part + ".pid"))) {
                continue;
            }
            List<String> events = all(LEADERSHIP, Files.readString(dir.resolve(part + ".log")));
            if (!events.isEmpty() && events.get(events.size() - 1).equals("granted")) {
                return Optional.of(part);
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() throws Exception {
        run(Map.of(), Duration.ofMinutes(2), "infra/local-stack", "down");
    }

    private String job(String jobId) throws Exception {
        return http("GET", "/jobs/" + jobId, null);
    }

    /** Sends the request (with a JSON body, or none) to the first REST API that takes the connection. */
    private String http(String method, String path, String json) throws Exception {
        ConnectException refused = null;
        for (String url : restUrls) {
            HttpRequest sent = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)).build();
            HttpResponse<String> response;
            try {
                response = http.send(sent, HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException e) {
                refused = e;
                continue;
            }
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(sent.method() + " " + sent.uri() + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        }
        throw refused;
    }

    private static Optional<String> first(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static List<String> all(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private String run(Map<String, String> jobEnvironment, Duration timeout, String script, String... args) {
        Map<String, String> env = new HashMap<>(stackEnv);
        env.putAll(jobEnvironment);
        Path output = dir.resolve(Path.of(script).getFileName() + "-" + args[0] + ".out");
        return InfraScripts.run(env, output, timeout, script, args);
    }
}
