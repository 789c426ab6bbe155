package dev.omnistock.testsupport;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
    /** 1, or 3 for a cluster of three Kafka nodes (replication 3, min.insync.replicas 2). */
    static final String KAFKA_NODES = "omnistock.test.stack.kafka-nodes";
    /** First start may download ~300 MB; later starts take seconds. */
    private static final long UP_TIMEOUT_MINUTES = 15;

    private final RealStack stack;
    private final Optional<Map<String, String>> ownedStackEnv;

    private StackProcess(RealStack stack, Optional<Map<String, String>> ownedStackEnv) {
        this.stack = stack;
        this.ownedStackEnv = ownedStackEnv;
    }

    RealStack stack() {
        return stack;
    }

    /** Control of the parts of this stack; for an external one, the stack under STACK_DIR (default .local-stack). */
    StackControl control() {
        int kafkaNodes = stack.kafkaBootstrapServers().split(",").length;
        return ownedStackEnv.map(env -> new StackControl(env, Path.of(env.get("STACK_DIR")), kafkaNodes))
                .orElseGet(() -> new StackControl(Map.of(), Path.of(env("STACK_DIR", InfraScripts.repoRoot().resolve(".local-stack").toString())), kafkaNodes));
    }

    static StackProcess start() {
        if ("external".equalsIgnoreCase(System.getenv(MODE))) {
            RealStack stack = new RealStack(
                    env("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
                    env("SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081/apis/ccompat/v7"),
                    httpBase(env("CLICKHOUSE_URL", "jdbc:clickhouse:http://127.0.0.1:8123/default")));
            log.info("Using the running stack {}", stack);
            return new StackProcess(stack, Optional.empty());
        }
        Path dir = Path.of(System.getProperty("omnistock.test.stack.dir", "target/test-stack")).toAbsolutePath();
        Map<String, String> env = new HashMap<>();
        env.put("STACK_DIR", dir.toString());
        env.put("STACK_OWNER_PID", Long.toString(ProcessHandle.current().pid()));
        // In memory is faster; a test that restarts the registry needs its schemas kept (omnistock.test.stack.persist-registry).
        env.put("STACK_REGISTRY_PERSIST", System.getProperty("omnistock.test.stack.persist-registry", "false"));
        int kafkaNodes = Integer.parseInt(System.getProperty(KAFKA_NODES, "1"));
        env.put("STACK_KAFKA_NODES", Integer.toString(kafkaNodes));
        env.put("STACK_KAFKA_HEAP", kafkaNodes == 1 ? "-Xms256m -Xmx768m" : "-Xms256m -Xmx512m");
        List<Integer> ports = FreePorts.take(3 + 2 * kafkaNodes);
        env.put("STACK_REGISTRY_PORT", ports.get(0).toString());
        env.put("STACK_CLICKHOUSE_HTTP_PORT", ports.get(1).toString());
        env.put("STACK_CLICKHOUSE_TCP_PORT", ports.get(2).toString());
        List<String> bootstrap = new ArrayList<>();
        for (int node = 1; node <= kafkaNodes; node++) {
            String name = node == 1 ? "STACK_KAFKA" : "STACK_KAFKA" + node;
            int port = ports.get(1 + 2 * node);
            env.put(name + "_PORT", Integer.toString(port));
            env.put(name + "_CONTROLLER_PORT", ports.get(2 + 2 * node).toString());
            bootstrap.add("127.0.0.1:" + port);
        }
        StackProcess process = new StackProcess(new RealStack(
                String.join(",", bootstrap),
                "http://127.0.0.1:" + ports.get(0) + "/apis/ccompat/v7",
                URI.create("http://127.0.0.1:" + ports.get(1))), Optional.of(env));
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
        InfraScripts.run(ownedStackEnv.orElseThrow(), dir.resolve("local-stack-" + command + ".out"),
                Duration.ofMinutes(UP_TIMEOUT_MINUTES), "infra/local-stack", command);
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
