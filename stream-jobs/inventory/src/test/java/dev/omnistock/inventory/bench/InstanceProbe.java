package dev.omnistock.inventory.bench;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * What an inventory instance running in a JVM of its own spent, read from outside through the JVM's
 * local management agent (the attach API starts it; nothing listens on a port): its process CPU, its
 * Java threads' CPU by role, and its Kafka clients' counters (commits, records written, produce requests,
 * records read by the restore consumer, which keeps standbys current). Read at the start and the end of a
 * measured pass only, so the probe costs the instance nothing in between.
 */
final class InstanceProbe implements AutoCloseable {

    /**
     * The roles a thread is counted under: Java threads by their names, the JVM's collector and compiler
     * threads by the names Linux knows them by; the rest of the process CPU is the JVM's other threads.
     */
    static final String[] ROLES = {"stream thread", "state updater", "producers", "feeds and others", "collector", "JIT compiler"};

    /** Counters and CPU at one moment; differences of two give a pass. */
    record Reading(long processCpuNanos, Map<String, Long> threadCpuNanosByRole, double commits, double recordsSent,
                   double produceRequests, double restoreRecords) {

        Reading minus(Reading start) {
            Map<String, Long> byRole = new LinkedHashMap<>();
            threadCpuNanosByRole.forEach((role, nanos) -> byRole.put(role, nanos - start.threadCpuNanosByRole.getOrDefault(role, 0L)));
            return new Reading(processCpuNanos - start.processCpuNanos, byRole, commits - start.commits, recordsSent - start.recordsSent,
                    produceRequests - start.produceRequests, restoreRecords - start.restoreRecords);
        }

        Reading plus(Reading other) {
            Map<String, Long> byRole = new LinkedHashMap<>(threadCpuNanosByRole);
            other.threadCpuNanosByRole.forEach((role, nanos) -> byRole.merge(role, nanos, Long::sum));
            return new Reading(processCpuNanos + other.processCpuNanos, byRole, commits + other.commits, recordsSent + other.recordsSent,
                    produceRequests + other.produceRequests, restoreRecords + other.restoreRecords);
        }

        /** The JVM's threads other than the collector's and the compiler's: the process's CPU less every role's. */
        long jvmOtherCpuNanos() {
            return processCpuNanos - threadCpuNanosByRole.values().stream().mapToLong(Long::longValue).sum();
        }

        static Reading zero() {
            return new Reading(0, Map.of(), 0, 0, 0, 0);
        }
    }

    private final long pid;
    private final JMXConnector connector;
    private final MBeanServerConnection server;
    private final ThreadMXBean threads;

    InstanceProbe(long pid) throws Exception {
        this.pid = pid;
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        this.connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
        this.server = connector.getMBeanServerConnection();
        this.threads = ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
    }

    Reading read() throws Exception {
        Map<String, Long> byRole = new LinkedHashMap<>();
        for (String role : ROLES) {
            byRole.put(role, 0L);
        }
        long[] ids = threads.getAllThreadIds();
        ThreadInfo[] infos = threads.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            long nanos = threads.getThreadCpuTime(ids[i]);
            if (infos[i] != null && nanos > 0) {
                byRole.merge(role(infos[i].getThreadName()), nanos, Long::sum);
            }
        }
        nativeThreadCpu(byRole);
        // Read last, so that it covers at least what the threads' figures do.
        long processCpu = ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration())
                .orElseThrow(() -> new IllegalStateException("no CPU time for process " + pid)).toNanos();
        return new Reading(processCpu, byRole, sum("kafka.streams:type=stream-thread-metrics,*", "commit-total"),
                sum("kafka.producer:type=producer-metrics,*", "record-send-total"),
                sum("kafka.producer:type=producer-node-metrics,*", "request-total"),
                sum("kafka.consumer:type=consumer-fetch-manager-metrics,client-id=*restore-consumer", "records-consumed-total"));
    }

    /**
     * A thread's role by its name. Standby copies and restoration are kept current by the state updater
     * thread (a thread of its own since Kafka Streams 3.8), so with standbys its CPU is what they cost.
     */
    private static String role(String threadName) {
        if (threadName.contains("StateUpdater")) {
            return "state updater";
        }
        if (threadName.startsWith("kafka-producer-network-thread")) {
            return "producers";
        }
        return threadName.contains("-StreamThread-") ? "stream thread" : "feeds and others";
    }

    /**
     * The collector's and the compiler's threads, which the JVM does not show as Java threads: their CPU from
     * /proc/[pid]/task/[tid]/stat (utime and stime in ticks of 1/100 s), found by the names HotSpot gives them.
     */
    private void nativeThreadCpu(Map<String, Long> byRole) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String role = name.startsWith("GC Thread") || name.startsWith("G1 ") ? "collector"
                        : name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler") ? "JIT compiler" : null;
                if (role != null) {
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    byRole.merge(role, (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L, Long::sum);
                }
            }
        }
    }

    private double sum(String pattern, String attribute) throws IOException, javax.management.JMException {
        double total = 0;
        for (ObjectName name : server.queryNames(new ObjectName(pattern), null)) {
            try {
                if (server.getAttribute(name, attribute) instanceof Number n) {
                    total += n.doubleValue();
                }
            } catch (javax.management.JMException e) {
                // a client closed between the query and the read, or a bean without this attribute
            }
        }
        return total;
    }

    @Override
    public void close() throws IOException {
        connector.close();
    }

    /** Per input event, in µs, each part of a pass's CPU. */
    static String breakdown(Reading pass, long events) {
        Map<String, Long> parts = new HashMap<>(pass.threadCpuNanosByRole());
        StringBuilder text = new StringBuilder();
        for (String role : ROLES) {
            text.append(String.format("%s %.1f µs, ", role, parts.getOrDefault(role, 0L) / 1e3 / events));
        }
        return text.append(String.format("the JVM's other threads %.1f µs", pass.jvmOtherCpuNanos() / 1e3 / events)).toString();
    }
}
