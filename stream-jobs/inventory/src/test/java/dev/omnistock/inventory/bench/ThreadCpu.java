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
            long now = info == null ? -1 : THREADS.getThreadCpuTime(info.getThreadId());
            if (now <= 0) {
                continue; // gone, or no CPU clock
            }
            double seconds = (now - startNanos.getOrDefault(info.getThreadId(), 0L)) / 1e9;
            String role = role(info.getThreadName());
            if (role != null) {
                byRole.merge(role, seconds, Double::sum);
            } else {
                others.merge(info.getThreadName(), seconds, Double::sum);
            }
        }
        double othersTotal = others.values().stream().mapToDouble(Double::doubleValue).sum();
        // The busiest of the rest by name: the benchmark's sender and feed reader, the HTTP server's threads, clients.
        Map<String, Double> busiestOthers = new LinkedHashMap<>();
        others.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(4)
                .forEach(e -> busiestOthers.put(e.getKey(), e.getValue()));
        return String.format("JVM %.1f s (%s; others %.1f s, the busiest: %s)", (processCpuNanos() - processStartNanos) / 1e9,
                seconds(byRole), othersTotal, seconds(busiestOthers));
    }

    private static String seconds(Map<String, Double> byName) {
        return byName.entrySet().stream().map(e -> String.format("%s %.1f s", e.getKey(), e.getValue())).collect(Collectors.joining(", "));
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
