package dev.omnistock.inventory.bench;

import static dev.omnistock.testsupport.Benchmarks.log;
import static dev.omnistock.testsupport.Benchmarks.seconds;

import dev.omnistock.config.Config;
import dev.omnistock.config.SchemaRegistryConnection;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.StockEvent;
import dev.omnistock.generator.Workload;
import dev.omnistock.serde.AvroSerializer;
import dev.omnistock.serde.SchemaRegistry;
import dev.omnistock.testsupport.BenchmarkTable;
import dev.omnistock.testsupport.Benchmarks;
import dev.omnistock.testsupport.ChildJvm;
import dev.omnistock.testsupport.FreePorts;
import dev.omnistock.topics.TopicProvisioner;
import dev.omnistock.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * CPU per input event of the inventory service run as 1, 2 and 3 instances, each a JVM of its own started
 * from the service's jar as the README starts it (one application id, static members, the service's
 * defaults, standbys included), on a running broker (the local stack, or the one the environment names).
 *
 * <p>Each pass has topics of its own. The generator's seeded workload is written in two parts: the first
 * (the opening count of every SKU at every location, and the first orders) warms the instances up; once
 * they have committed through it and their group is stable, the second part is sent at full speed and the
 * pass is measured until the group's committed offsets reach the end of the input topics and of the
 * service's two internal ones. Over that window it reads each instance's process CPU (and its threads' by
 * role and its Kafka clients' counters, through the JVM's local management agent) and the broker's process
 * CPU (its pid file in STACK_DIR). Process CPU, not the machine's: other work on a shared machine does not
 * count, except other clients' work on a shared broker, which is why the broker's idle rate just before
 * each pass is printed beside it.
 *
 * <p>The workload is smaller than the throughput benchmark's (2,000 SKUs instead of 10,000, so the opening
 * counts fit in the warm-up), so that each pass takes a minute or two on a busy 2-core machine.
 *
 * <p>Passes run in rounds, each round all instance counts in turn, so that the machine's slow and fast
 * minutes fall on all of them; a round's figures are compared with the same round's single instance.
 *
 * <p>Settings (environment): BENCH_INSTANCES (1,2,3), BENCH_STANDBYS (1,0: the standby replicas of the
 * passes with more than one instance; one instance never has a copy), BENCH_ROUNDS (2),
 * BENCH_WARM_UP_EVENTS (30000), BENCH_EVENTS (60000, measured), BENCH_SKUS (2000), BENCH_LOCATIONS (8),
 * BENCH_SEED (42), BENCH_PARTITIONS (6), BENCH_INSTANCE_HEAP (-Xmx1g), BENCH_JAR
 * (stream-jobs/inventory/target/inventory-service.jar), BENCH_KEEP (false), BENCH_RESULTS (docs/benchmarks.md).
 * The service's own INVENTORY_* settings are passed to every instance, except those each instance has of
 * its own (application id, state directory, HTTP port, group instance id, standbys).
 */
public final class InventoryInstancesBenchmark {

    static final String COMMAND = "infra/local-stack up && stream-jobs/inventory/benchmark-instances";
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private final Config env;
    private final String bootstrap;
    private final String registryUrl;
    private final int partitions;
    private final String runId = "bi-" + Long.toString(System.currentTimeMillis(), 36);

    /** One measured pass. */
    private record Pass(int round, int instances, int standbys, long events, double eventsPerSecond, InstanceProbe.Reading service,
                        double brokerCpuNanos, double brokerIdleShare) {

        double serviceMicros() {
            return service.processCpuNanos() / 1e3 / events;
        }

        /** Without the JIT compiler: each JVM compiles the same code once, a cost that a long run spreads thin. */
        double serviceMicrosWithoutJit() {
            return serviceMicros() - service.threadCpuNanosByRole().getOrDefault("JIT compiler", 0L) / 1e3 / events;
        }

        double withBrokerMicros() {
            return serviceMicros() + brokerCpuNanos / 1e3 / events;
        }

        String label() {
            return instances == 1 ? "1 instance" : instances + " instances, " + standbys + " standby" + (standbys == 1 ? "" : "s");
        }
    }

    private InventoryInstancesBenchmark(Config env) {
        this.env = env;
        this.bootstrap = env.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
        this.registryUrl = env.get("SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081/apis/ccompat/v7");
        this.partitions = env.getInt("BENCH_PARTITIONS", 6);
    }

    public static void main(String[] args) throws Exception {
        Config env = Config.fromEnvironment();
        InventoryInstancesBenchmark bench = new InventoryInstancesBenchmark(env);
        List<Integer> counts = integers(env.get("BENCH_INSTANCES", "1,2,3"));
        List<Integer> standbys = integers(env.get("BENCH_STANDBYS", "1,0"));
        List<Pass> passes = new ArrayList<>();
        try {
            for (int round = 1; round <= env.getInt("BENCH_ROUNDS", 2); round++) {
                for (int instances : counts) {
                    for (int standby : instances == 1 ? List.of(0) : standbys) {
                        try {
                            passes.add(bench.pass(round, instances, standby));
                        } catch (IllegalStateException e) {
                            // A pass disturbed (a rebalance, a broker restarted by someone else) is left out, not counted.
                            log("pass left out: %s", e.getMessage());
                        }
                    }
                }
            }
        } finally {
            bench.summarise(passes, Path.of(env.get("BENCH_RESULTS", "docs/benchmarks.md")), standbys.get(0));
        }
    }

    private static List<Integer> integers(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    // ---------------------------------------------------------------- one pass

    private Pass pass(int round, int instanceCount, int standbys) throws Exception {
        String prefix = runId + "-r" + round + "n" + instanceCount + "s" + standbys + ".";
        Topics topics = Topics.from(Config.of(Map.of("OMNISTOCK_TOPIC_PREFIX", prefix, "OMNISTOCK_TOPIC_PARTITIONS",
                Integer.toString(partitions))));
        Map<String, Object> registryConfig = SchemaRegistryConnection.from(Config.of(Map.of("SCHEMA_REGISTRY_URL", registryUrl))).serdeConfig();
        String applicationId = prefix + "inventory";
        Path workDir = Files.createDirectories(Path.of("target", "bench-instances", prefix.replace(".", ""))).toAbsolutePath();
        log("pass %s of round %d: %d instance(s), %d standby replica(s), topics %s*", prefix, round, instanceCount, standbys, prefix);
        List<ChildJvm> instances = new ArrayList<>();
        // Stopped however the run ends, so that an interrupted run leaves no instance behind.
        Thread stopper = new Thread(() -> {
            try {
                stop(instances);
            } catch (Exception e) {
                // the JVM is exiting; a child left is the operator's
            }
        });
        Runtime.getRuntime().addShutdownHook(stopper);
        List<InstanceProbe> probes = new ArrayList<>();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
             KafkaProducer<String, Object> producer = producer(registryConfig)) {
            new TopicProvisioner(admin, SchemaRegistry.connect(registryConfig)).provision(topics.all());
            Workload workload = new Workload(env.getInt("BENCH_SKUS", 2_000), env.getInt("BENCH_LOCATIONS", 8), env.getInt("BENCH_SEED", 42));
            long warmUp = env.getInt("BENCH_WARM_UP_EVENTS", 30_000);
            long events = env.getInt("BENCH_EVENTS", 60_000);
            produce(producer, topics, workload, warmUp);

            List<String> readiness = new ArrayList<>();
            for (int i = 0; i < instanceCount; i++) {
                Map<String, String> settings = instanceSettings(prefix, applicationId, workDir.resolve("state-" + i), standbys, i);
                readiness.add("http://127.0.0.1:" + settings.get("INVENTORY_HTTP_PORT") + "/health/ready");
                instances.add(new ChildJvm("instance-" + i, Path.of(env.get("BENCH_JAR", "stream-jobs/inventory/target/inventory-service.jar")),
                        settings, workDir, env.get("BENCH_INSTANCE_HEAP", "-Xmx1g")));
            }
            for (ChildJvm instance : instances) {
                instance.start();
            }
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!readiness.stream().allMatch(ChildJvm::answers200)) {
                check(deadline, instances, "the instances were not all ready");
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
            Set<String> drained = Set.of(topics.orders().name(), topics.stockMovements().name(), topics.ledgerCommands().name(),
                    topics.lineAnswers().name());
            drain(admin, applicationId, drained, instances, "warm-up");
            Set<String> members = stableMembers(admin, applicationId, instanceCount, instances);
            for (ChildJvm instance : instances) {
                probes.add(new InstanceProbe(instance.pid()));
            }

            // The broker's rate with the instances idle: other clients of a shared broker, and its own timers.
            List<Long> brokers = brokerPids();
            double idleStart = brokerCpuNanos(brokers);
            long idleStarted = System.nanoTime();
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(5));
            double brokerIdleShare = (brokerCpuNanos(brokers) - idleStart) / (System.nanoTime() - idleStarted);

            InstanceProbe.Reading start = read(probes);
            double brokerStart = brokerCpuNanos(brokers);
            long started = System.nanoTime();
            produce(producer, topics, workload, events);
            drain(admin, applicationId, drained, instances, "measured");
            double elapsed = seconds(started) - 0.05; // the last commit was seen at most one poll interval ago
            double brokerCpu = brokerCpuNanos(brokers) - brokerStart;
            InstanceProbe.Reading service = read(probes).minus(start);

            if (!stableMembers(admin, applicationId, instanceCount, instances).equals(members)) {
                throw new IllegalStateException("the group rebalanced during the measured pass; its figures would include a restoration");
            }
            if (!brokerPids().equals(brokers)) {
                throw new IllegalStateException("the broker restarted during the measured pass");
            }
            Pass pass = new Pass(round, instanceCount, standbys, events, events / elapsed, service, brokerCpu, brokerIdleShare);
            log("%s (round %d): %,d input events at %,.0f/s; CPU per input event: service %.1f µs, broker %.1f µs, together %.1f µs "
                            + "(the broker idle before the pass: %.0f %% of a core, %.1f µs per event over this pass)",
                    pass.label(), round, events, pass.eventsPerSecond(), pass.serviceMicros(), brokerCpu / 1e3 / events, pass.withBrokerMicros(),
                    brokerIdleShare * 100, brokerIdleShare * elapsed * 1e6 / events);
            log("  service CPU per input event by part: %s", InstanceProbe.breakdown(service, events));
            log("  per input event: %.2f records written, %.3f produce requests (%.0f records each), %.2f records read to keep standbys "
                            + "current; %.0f commits in %.1f s (%.1f a second)", service.recordsSent() / events, service.produceRequests() / events,
                    service.recordsSent() / service.produceRequests(), service.restoreRecords() / events, service.commits(), elapsed,
                    service.commits() / elapsed);
            return pass;
        } finally {
            for (InstanceProbe probe : probes) {
                probe.close();
            }
            stop(instances);
            Runtime.getRuntime().removeShutdownHook(stopper);
            if (!Boolean.parseBoolean(env.get("BENCH_KEEP", "false"))) {
                Benchmarks.deleteTopicsOfRun(bootstrap, List.of(prefix));
            }
        }
    }

    private static InstanceProbe.Reading read(List<InstanceProbe> probes) throws Exception {
        InstanceProbe.Reading total = InstanceProbe.Reading.zero();
        for (InstanceProbe probe : probes) {
            total = total.plus(probe.read());
        }
        return total;
    }

    /** The service's INVENTORY_* settings from the environment, with this instance's own. */
    private Map<String, String> instanceSettings(String prefix, String applicationId, Path state, int standbys, int index) {
        Map<String, String> settings = new HashMap<>();
        System.getenv().forEach((name, value) -> {
            if (name.startsWith("INVENTORY_")) {
                settings.put(name, value);
            }
        });
        settings.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        settings.put("SCHEMA_REGISTRY_URL", registryUrl);
        settings.put("OMNISTOCK_TOPIC_PREFIX", prefix);
        settings.put("OMNISTOCK_TOPIC_PARTITIONS", Integer.toString(partitions));
        settings.put("INVENTORY_APPLICATION_ID", applicationId);
        settings.put("INVENTORY_STATE_DIR", state.toString());
        settings.put("INVENTORY_HTTP_PORT", Integer.toString(FreePorts.one()));
        settings.put("INVENTORY_GROUP_INSTANCE_ID", applicationId + "-" + index);
        settings.put("INVENTORY_STANDBY_REPLICAS", Integer.toString(standbys));
        // Stopped between passes; nothing routes requests to them.
        settings.put("INVENTORY_SHUTDOWN_DRAIN_MS", "0");
        return settings;
    }

    private static void stop(List<ChildJvm> instances) throws Exception {
        for (ChildJvm instance : instances) {
            if (instance.alive()) {
                instance.terminate();
            }
        }
        for (ChildJvm instance : instances) {
            if (instance.alive()) {
                try {
                    instance.awaitExit(Duration.ofSeconds(60));
                } catch (IllegalStateException e) {
                    instance.killHard();
                }
            }
        }
    }

    // ---------------------------------------------------------------- workload

    private KafkaProducer<String, Object> producer(Map<String, Object> registryConfig) {
        Map<String, Object> props = new HashMap<>(registryConfig);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class);
        return new KafkaProducer<>(Benchmarks.throughputProducer(props));
    }

    /** The workload's next events, each stamped as it is sent (the service deduplicates recent events by their time). */
    private static void produce(KafkaProducer<String, Object> producer, Topics topics, Workload workload, long events) {
        Benchmarks.SendFailures failures = new Benchmarks.SendFailures();
        for (long i = 0; i < events; i++) {
            Workload.Keyed next = workload.next();
            Instant now = Instant.now();
            if (next.event() instanceof OrderEvent order) {
                order.setEventTime(now);
            } else if (next.event() instanceof StockEvent stock) {
                stock.setEventTime(now);
            }
            producer.send(new ProducerRecord<>(next.isOrder() ? topics.orders().name() : topics.stockMovements().name(), next.key(),
                    next.event()), failures);
        }
        producer.flush();
        failures.check();
    }

    // ---------------------------------------------------------------- the group

    /** Waits until the group's committed offsets reach the (read_committed) end of every named topic and the ends stop moving. */
    private static void drain(Admin admin, String applicationId, Set<String> topicNames, List<ChildJvm> instances, String what) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        long lastLog = System.nanoTime();
        Map<TopicPartition, Long> previousEnds = Map.of();
        while (true) {
            check(deadline, instances, what + ": the instances did not commit through their input");
            Map<TopicPartition, Long> ends = InventoryBenchmark.endOffsets(admin, topicNames);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get();
            long behind = ends.entrySet().stream().mapToLong(e -> Math.max(0, e.getValue()
                    - (committed.get(e.getKey()) == null ? 0 : committed.get(e.getKey()).offset()))).sum();
            if (behind == 0 && ends.equals(previousEnds)) {
                return;
            }
            if (System.nanoTime() - lastLog > TimeUnit.SECONDS.toNanos(10)) {
                log("  %s: %,d records still to process", what, behind);
                lastLog = System.nanoTime();
            }
            previousEnds = ends;
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    /** Waits until the group is stable with every instance in it; its members' ids. */
    private static Set<String> stableMembers(Admin admin, String applicationId, int count, List<ChildJvm> instances) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(applicationId)).describedGroups().get(applicationId).get();
            if (group.groupState() == GroupState.STABLE && group.members().size() == count) {
                return group.members().stream().map(MemberDescription::consumerId).collect(Collectors.toCollection(TreeSet::new));
            }
            check(deadline, instances, "the group was not stable with " + count + " members");
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
    }

    private static void check(long deadlineNanos, List<ChildJvm> instances, String message) {
        if (instances.stream().anyMatch(i -> !i.alive())) {
            throw new IllegalStateException(message + ": an instance exited (its log is under target/bench-instances)");
        }
        if (System.nanoTime() > deadlineNanos) {
            throw new IllegalStateException(message + " within " + TIMEOUT);
        }
    }

    // ---------------------------------------------------------------- the broker

    /** The local stack's Kafka nodes (pid files kafka.pid, kafka2.pid, kafka3.pid in STACK_DIR); none for a broker elsewhere. */
    private List<Long> brokerPids() throws Exception {
        Path stackDir = Path.of(env.get("STACK_DIR", ".local-stack"));
        List<Long> pids = new ArrayList<>();
        for (String part : List.of("kafka", "kafka2", "kafka3")) {
            Path file = stackDir.resolve(part + ".pid");
            if (Files.isReadable(file)) {
                long pid = Long.parseLong(Files.readString(file).trim());
                if (ProcessHandle.of(pid).isPresent()) {
                    pids.add(pid);
                }
            }
        }
        return pids;
    }

    private static double brokerCpuNanos(List<Long> pids) {
        return pids.stream().mapToDouble(pid -> ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration())
                .map(Duration::toNanos).orElse(0L)).sum();
    }

    // ---------------------------------------------------------------- results

    /** Each setting's passes, the spread over the rounds and the ratios to one instance; rows for the table. */
    private void summarise(List<Pass> passes, Path results, int defaultStandbys) {
        if (passes.isEmpty()) {
            return;
        }
        Map<String, List<Pass>> bySetting = passes.stream().collect(Collectors.groupingBy(Pass::label, java.util.LinkedHashMap::new, Collectors.toList()));
        log("summary (%d passes, median of the rounds, then each round):", passes.size());
        bySetting.forEach((label, list) -> {
            String ratios = list.stream().map(p -> passes.stream()
                            .filter(one -> one.round() == p.round() && one.instances() == 1).findFirst()
                            .map(one -> String.format("%.2f/%.2f", p.serviceMicros() / one.serviceMicros(), p.withBrokerMicros() / one.withBrokerMicros()))
                            .orElse("-"))
                    .collect(Collectors.joining(", "));
            log("  %s: %,.0f events/s; CPU per input event: service %.1f µs (%.1f µs without the JIT compiler), with the broker %.1f µs; "
                            + "rounds: %s; to one instance in the same round (service/with the broker): %s", label,
                    median(list, Pass::eventsPerSecond), median(list, Pass::serviceMicros), median(list, Pass::serviceMicrosWithoutJit),
                    median(list, Pass::withBrokerMicros),
                    list.stream().map(p -> String.format("%,.0f/s %.1f µs (%.1f) %.1f µs", p.eventsPerSecond(), p.serviceMicros(),
                            p.serviceMicrosWithoutJit(), p.withBrokerMicros())).collect(Collectors.joining("; ")), ratios);
        });
        List<BenchmarkTable.Row> rows = new ArrayList<>();
        bySetting.forEach((label, list) -> {
            if (list.get(0).instances() == 1 || list.get(0).standbys() == defaultStandbys) {
                int n = list.get(0).instances();
                rows.add(new BenchmarkTable.Row("inventory, " + n + " instance JVM" + (n == 1 ? "" : "s") + " (EOS)",
                        OptionalDouble.of(median(list, Pass::eventsPerSecond)), OptionalDouble.empty(), OptionalDouble.empty(),
                        OptionalDouble.empty(), COMMAND));
            }
        });
        BenchmarkTable.record(results, rows);
    }

    private static double median(List<Pass> passes, java.util.function.ToDoubleFunction<Pass> figure) {
        double[] sorted = passes.stream().mapToDouble(figure).sorted().toArray();
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }
}
