package dev.omnistock.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Stops, kills and starts parts of this test JVM's stack (kafka or kafka, kafka2, kafka3; registry; clickhouse) through infra/local-stack,
 * for tests of how the services ride out an outage. Only a test that owns its JVM's stack may use it:
 * every other test class of the JVM shares the parts it stops.
 */
public final class StackControl {

    private final Map<String, String> environment;
    private final Path stackDir;
    private final int kafkaNodes;

    StackControl(Map<String, String> environment, Path stackDir, int kafkaNodes) {
        this.environment = new HashMap<>(environment);
        this.environment.put("STACK_DIR", stackDir.toString());
        this.stackDir = stackDir;
        this.kafkaNodes = kafkaNodes;
    }

    /** The stack's Kafka nodes as parts: kafka alone, or kafka, kafka2 and kafka3 for a cluster. */
    public List<String> kafkaParts() {
        return IntStream.rangeClosed(1, kafkaNodes).mapToObj(n -> n == 1 ? "kafka" : "kafka" + n).toList();
    }

    /** Kills the parts with SIGKILL, as a crash would; their data stays. */
    public void kill(String... parts) {
        run("kill", parts);
    }

    /** Stops the parts (SIGTERM, then SIGKILL after 30 s); their data stays. */
    public void stop(String... parts) {
        run("stop", parts);
    }

    /** Starts the parts again on their ports and waits until each is healthy. */
    public void start(String... parts) {
        run("up", parts);
    }

    private void run(String command, String... parts) {
        InfraScripts.run(environment, stackDir.resolve("local-stack-" + command + "-" + String.join("-", parts) + ".out"),
                Duration.ofMinutes(3), "infra/local-stack", prepend(command, parts));
    }

    private static String[] prepend(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
