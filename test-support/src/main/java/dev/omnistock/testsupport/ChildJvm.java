package dev.omnistock.testsupport;

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
 * A service in a JVM of its own, started from its shaded jar as the README starts it, so that a test can
 * treat it as an orchestrator or a power cut does: SIGKILL (no shutdown hook, no clean close), SIGSTOP and
 * SIGCONT, or a clean SIGTERM. Each start logs to a file of its own under the log directory.
 */
public final class ChildJvm {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path jar;
    private final Map<String, String> environment;
    private final Path logDir;
    private final String heap;
    private Process process;
    private int starts;

    /** @param heap e.g. "-Xmx512m" */
    public ChildJvm(String name, Path jar, Map<String, String> environment, Path logDir, String heap) {
        this.name = name;
        this.jar = jar;
        this.environment = Map.copyOf(environment);
        this.logDir = logDir;
        this.heap = heap;
    }

    public void start() throws IOException {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: the package phase builds it (./mvnw verify)");
        }
        Files.createDirectories(logDir);
        ProcessBuilder builder = new ProcessBuilder(List.of(javaBinary(), heap, "-XX:MaxGCPauseMillis=20", "-jar", jar.toString()))
                .redirectErrorStream(true)
                .redirectOutput(logDir.resolve(name + "-" + (++starts) + ".log").toFile());
        builder.environment().putAll(environment);
        process = builder.start();
    }

    /** kill -9: the JVM gets no chance to commit, close its stores or leave its group. */
    public void killHard() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL on Linux
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " did not die within 30 s of SIGKILL");
        }
    }

    /** kill -STOP: the process is frozen, its connections open, as a long GC pause or a stalled VM. */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** kill -CONT after {@link #pause}. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    /** kill -TERM without waiting, for a test that watches the service while it stops. */
    public void terminate() throws IOException, InterruptedException {
        signal("TERM");
    }

    /** Waits for the process to end; its exit status (a JVM ended by SIGTERM after its hooks exits 143). */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " did not exit within " + timeout);
        }
        return process.exitValue();
    }

    /** A clean stop (SIGTERM: the service's shutdown hook closes it). */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** The running JVM's process id (to read its CPU time, or to ask it for a thread dump). */
    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** True when GET of the URL answers 200. */
    public static boolean answers200(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** POSTs a JSON body and returns the answer's body; fails on anything but a 2xx. */
    public static String post(String url, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("POST " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
