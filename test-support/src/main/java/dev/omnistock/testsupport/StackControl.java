package dev.omnistock.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Stops and starts parts of this test JVM's stack (kafka, registry, clickhouse) through infra/local-stack,
 * for tests of how the services ride out an outage. Only a test that owns its JVM's stack may use it:
 * every other test class of the JVM shares the parts it stops.
 */
public final class StackControl {

    private final Map<String, String> environment;
    private final Path stackDir;

    StackControl(Map<String, String> environment, Path stackDir) {
        this.environment = new HashMap<>(environment);
        this.environment.put("STACK_DIR", stackDir.toString());
        this.stackDir = stackDir;
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
