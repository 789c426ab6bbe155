package dev.omnistock.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stack of one test JVM: infra/local-stack run on free ports with its data under the module's
 * target directory, or (OMNISTOCK_TEST_STACK=external) a stack someone already runs, found through
 * the same variables the services read.
 */
final class StackProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StackProcess.class);
    /** "external": reuse the stack named by KAFKA_BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL, CLICKHOUSE_URL. */
    static final String MODE = "OMNISTOCK_TEST_STACK";
    /** First start may download ~300 MB; later starts take seconds. */
    private static final long UP_TIMEOUT_MINUTES = 15;

    private final RealStack stack;
    private final Optional<Map<String, String>> ownedStackEnv;
    private final Path script;

    private StackProcess(RealStack stack, Optional<Map<String, String>> ownedStackEnv, Path script) {
        this.stack = stack;
        this.ownedStackEnv = ownedStackEnv;
        this.script = script;
    }

    RealStack stack() {
        return stack;
    }

    static StackProcess start() {
        Path script = repoRoot().resolve("infra/local-stack");
        if ("external".equalsIgnoreCase(System.getenv(MODE))) {
            RealStack stack = new RealStack(
                    env("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
                    env("SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081/apis/ccompat/v7"),
                    httpBase(env("CLICKHOUSE_URL", "jdbc:clickhouse:http://127.0.0.1:8123/default")));
            log.info("Using the running stack {}", stack);
            return new StackProcess(stack, Optional.empty(), script);
        }
        Path dir = Path.of(System.getProperty("omnistock.test.stack.dir", "target/test-stack")).toAbsolutePath();
        Map<String, String> env = new HashMap<>();
        env.put("STACK_DIR", dir.toString());
        env.put("STACK_OWNER_PID", Long.toString(ProcessHandle.current().pid()));
        env.put("STACK_REGISTRY_PERSIST", "false");
        env.put("STACK_KAFKA_HEAP", "-Xms256m -Xmx768m");
        List<Integer> ports = freePorts(5);
        env.put("STACK_KAFKA_PORT", ports.get(0).toString());
        env.put("STACK_KAFKA_CONTROLLER_PORT", ports.get(1).toString());
        env.put("STACK_REGISTRY_PORT", ports.get(2).toString());
        env.put("STACK_CLICKHOUSE_HTTP_PORT", ports.get(3).toString());
        env.put("STACK_CLICKHOUSE_TCP_PORT", ports.get(4).toString());
        StackProcess process = new StackProcess(new RealStack(
                "127.0.0.1:" + ports.get(0),
                "http://127.0.0.1:" + ports.get(2) + "/apis/ccompat/v7",
                URI.create("http://127.0.0.1:" + ports.get(3))), Optional.of(env), script);
        long started = System.nanoTime();
        process.run("up", dir);
        log.info("Started Kafka, schema registry and ClickHouse in {} ms: {}",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), process.stack);
        return process;
    }

    @Override
    public void close() {
        ownedStackEnv.ifPresent(env -> run("down", Path.of(env.get("STACK_DIR"))));
    }

    private void run(String command, Path dir) {
        Map<String, String> env = ownedStackEnv.orElseThrow();
        try {
            Files.createDirectories(dir);
            Path output = dir.resolve("local-stack-" + command + ".out");
            ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(UP_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("infra/local-stack " + command + " took over " + UP_TIMEOUT_MINUTES
                        + " minutes; see " + output);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("infra/local-stack " + command + " failed (exit " + process.exitValue()
                        + "):\n" + Files.readString(output));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running infra/local-stack " + command, e);
        }
    }

    private static Path repoRoot() {
        String configured = System.getProperty("omnistock.repo.root");
        Path start = Path.of(configured != null ? configured : "").toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("infra/local-stack"))) {
                return p;
            }
        }
        throw new IllegalStateException("No infra/local-stack above " + start + "; set -Domnistock.repo.root");
    }

    private static List<Integer> freePorts(int count) {
        // Held open together so that the same port is not handed out twice.
        List<ServerSocket> sockets = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("No free local port", e);
        } finally {
            for (ServerSocket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing a probe socket
                }
            }
        }
    }

    private static String env(String name, String defaultValue) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? defaultValue : value;
    }

    private static URI httpBase(String jdbcUrl) {
        URI uri = URI.create(jdbcUrl.replaceFirst("^jdbc:clickhouse:", "").replaceFirst("^jdbc:ch:", ""));
        return URI.create(uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort());
    }
}
