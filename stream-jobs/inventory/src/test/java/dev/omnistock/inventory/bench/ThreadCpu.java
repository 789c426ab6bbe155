package dev.omnistock.inventory.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CPU time the service's threads spent between two points, by role. Latency figures spread widely from
 * run to run on a shared 2-core machine; the CPU a phase cost is steadier, so a change that saves work
 * shows here even when the latency's spread hides it.
 */
final class ThreadCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Map<Long, Long> startNanos = new HashMap<>();
    private final long processStartNanos = processCpuNanos();

    ThreadCpu() {
        for (long id : THREADS.getAllThreadIds()) {
            startNanos.put(id, THREADS.getThreadCpuTime(id));
        }
    }

    /** Seconds of CPU since this snapshot: the whole JVM (collector and compiler too) and each role. */
    String since() {
        Map<String, Double> byRole = new LinkedHashMap<>();
        for (String role : new String[] {"stream threads", "their producers", "feed"}) {
            byRole.put(role, 0.0);
        }
        Map<String, Double> others = new HashMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long now = THREADS.getThreadCpuTime(info.getThreadId());
            long before = startNanos.getOrDefault(info.getThreadId(), 0L);
            if (now > 0) {
                String role = role(info.getThreadName());
                (role == null ? others : byRole).merge(role == null ? info.getThreadName() : role, (now - before) / 1e9, Double::sum);
            }
        }
        // The busiest of the rest by name: the benchmark's sender and feed reader, the HTTP server's threads, clients.
        String busiestOthers = others.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(4)
                .map(e -> String.format("%s %.1f s", e.getKey(), e.getValue())).collect(Collectors.joining(", "));
        return String.format("JVM %.1f s (", (processCpuNanos() - processStartNanos) / 1e9)
                + byRole.entrySet().stream().map(e -> String.format("%s %.1f s", e.getKey(), e.getValue()))
                        .collect(Collectors.joining(", "))
                + String.format("; others %.1f s, the busiest: %s)", others.values().stream().mapToDouble(Double::doubleValue).sum(), busiestOthers);
    }

    /** The service thread's role, or null for any other thread. */
    private static String role(String threadName) {
        if (threadName.contains("StreamThread")) {
            return threadName.contains("producer") ? "their producers" : "stream threads";
        }
        return threadName.equals("availability-feed") ? "feed" : null;
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }
}
