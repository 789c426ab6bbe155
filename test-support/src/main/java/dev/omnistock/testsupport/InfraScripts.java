package dev.omnistock.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the repository's infra scripts (infra/local-stack, infra/flink/bin/flink) for tests. */
public final class InfraScripts {

    private InfraScripts() {
    }

    /**
     * Runs {@code bash <script> <args>} from the repository root with {@code env} added to the
     * environment, its output going to {@code output}; fails with that output unless it exits 0 within
     * the timeout. Returns the output.
     */
    public static String run(Map<String, String> env, Path output, Duration timeout, String script, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", script));
        command.addAll(List.of(args));
        try {
            Files.createDirectories(output.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(command).directory(repoRoot().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " took over " + timeout + "; see " + output);
            }
            String text = Files.readString(output);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue() + "):\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + script, e);
        }
    }

    /** The repository's root: the first directory up from here (or -Domnistock.repo.root) holding infra/local-stack. */
    public static Path repoRoot() {
        String configured = System.getProperty("omnistock.repo.root");
        Path start = Path.of(configured != null ? configured : "").toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("infra/local-stack"))) {
                return p;
            }
        }
        throw new IllegalStateException("No infra/local-stack above " + start + "; set -Domnistock.repo.root");
    }
}
