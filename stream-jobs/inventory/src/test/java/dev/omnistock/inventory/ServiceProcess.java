package dev.omnistock.inventory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The inventory service in a JVM of its own, started from its shaded jar as the README starts it, so a
 * test can kill it as an orchestrator or a power cut does: SIGKILL, no shutdown hook, no clean close.
 */
final class ServiceProcess {

    private static final Path JAR = Path.of("target/inventory-service.jar");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Map<String, String> environment;
    private final Path logDir;
    private final int port;
    private Process process;
    private int starts;

    ServiceProcess(Map<String, String> environment, Path logDir) {
        this.environment = environment;
        this.logDir = logDir;
        this.port = Integer.parseInt(environment.get("INVENTORY_HTTP_PORT"));
    }

    void start() throws IOException {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: the package phase builds it (./mvnw verify)");
        }
        Files.createDirectories(logDir);
        ProcessBuilder builder = new ProcessBuilder(List.of(javaBinary(), "-Xmx512m", "-XX:MaxGCPauseMillis=20", "-jar", JAR.toString()))
                .redirectErrorStream(true)
                .redirectOutput(logDir.resolve("service-" + (++starts) + ".log").toFile());
        builder.environment().putAll(environment);
        process = builder.start();
    }

    /** kill -9: the JVM gets no chance to commit, close its stores or leave the group. */
    void killHard() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL on Linux
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the service did not die within 30 s of SIGKILL");
        }
    }

    /** A clean stop (SIGTERM: the service's shutdown hook closes Kafka Streams). */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** True when /health/ready answers 200: Kafka Streams is RUNNING. */
    boolean ready() {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** POSTs a JSON body to the service's API and returns the answer's body; fails on a non-200. */
    String post(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("POST " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
