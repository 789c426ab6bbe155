package dev.omnistock.inventory.bench;

import static dev.omnistock.testsupport.Benchmarks.log;
import static dev.omnistock.testsupport.Benchmarks.percentile;
import static dev.omnistock.testsupport.Benchmarks.seconds;

import dev.omnistock.config.Config;
import dev.omnistock.events.Channel;
import dev.omnistock.events.CountType;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.OrderPlaced;
import dev.omnistock.events.StockCounted;
import dev.omnistock.events.StockEvent;
import dev.omnistock.events.StockReceived;
import dev.omnistock.generator.Workload;
import dev.omnistock.inventory.InventoryConfig;
import dev.omnistock.inventory.InventoryService;
import dev.omnistock.serde.AvroSerializer;
import dev.omnistock.serde.SchemaRegistry;
import dev.omnistock.testsupport.BenchmarkTable;
import dev.omnistock.testsupport.Benchmarks;
import dev.omnistock.testsupport.FreePorts;
import dev.omnistock.topics.DeadLetterHeaders;
import dev.omnistock.topics.TopicProvisioner;
import dev.omnistock.topics.Topics;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.Stores;

/**
 * Measures, in one run on the same topics of a running broker (the local stack, or any cluster the
 * environment names): the raw consume rate; a naive Kafka Streams job (groupByKey + aggregate of
 * quantities into RocksDB, exactly-once); the service's flow with its rules taken out ({@link FlowSkeleton},
 * exactly-once, the service's tuning); the inventory service (exactly-once); and the latency from
 * producing a stock event to its change arriving on the service's SSE feed at a steady rate.
 * Prints each figure and writes it as a row of docs/benchmarks.md.
 *
 * <p>The workload is the ingestion generator's ({@link Workload}): a count for every SKU at every
 * location, then orders, cancellations, shipments, returns and restocks.
 *
 * <p>Settings (environment): BENCH_EVENTS (500000), BENCH_SKUS (10000), BENCH_LOCATIONS (8),
 * BENCH_SEED (42), BENCH_LATENCY_RATE (10000 events/s), BENCH_LOW_LATENCY_RATE (2000 events/s, a rate the
 * service keeps up with, for its latency floor), BENCH_LATENCY_SECONDS (30 per rate),
 * BENCH_LATENCY_STAGES (false; true splits the slowest changes' time into stages, see {@link LatencyStages}), BENCH_PARTITIONS (4),
 * BENCH_KEEP (false: the run's topics are deleted at the end). The
 * service's own INVENTORY_* settings (commit interval, threads, ...) are passed through, except its
 * application id, state directory and HTTP port, which are the run's own.
 */
public final class InventoryBenchmark {

    static final String COMMAND = "infra/local-stack up && stream-jobs/inventory/benchmark";
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(10);

    private final Config env;
    private final String bootstrap;
    private final Map<String, Object> registryConfig;
    private final Topics topics;
    private final int events;
    private final int skus;
    private final int locations;
    private final Path workDir;

    private InventoryBenchmark(Config env, String prefix) throws Exception {
        this.env = env;
        Map<String, String> settings = new HashMap<>();
        settings.put("OMNISTOCK_TOPIC_PREFIX", prefix);
        settings.put("OMNISTOCK_TOPIC_PARTITIONS", env.get("BENCH_PARTITIONS", "4"));
        settings.put("KAFKA_BOOTSTRAP_SERVERS", env.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"));
        settings.put("SCHEMA_REGISTRY_URL", env.get("SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081/apis/ccompat/v7"));
        Config config = Config.of(settings);
        this.bootstrap = settings.get("KAFKA_BOOTSTRAP_SERVERS");
        this.registryConfig = new HashMap<>(dev.omnistock.config.SchemaRegistryConnection.from(config).serdeConfig());
        this.topics = Topics.from(config);
        this.events = env.getInt("BENCH_EVENTS", 500_000);
        this.skus = env.getInt("BENCH_SKUS", 10_000);
        this.locations = env.getInt("BENCH_LOCATIONS", 8);
        this.workDir = Files.createDirectories(Path.of("target", "bench", prefix.replace(".", ""))).toAbsolutePath();
    }

    public static void main(String[] args) throws Exception {
        Config env = Config.fromEnvironment();
        String prefix = "bench-" + Long.toString(System.currentTimeMillis(), 36) + ".";
        InventoryBenchmark bench = new InventoryBenchmark(env, prefix);
        // Like the naive job, the service is measured on a second pass: a first one warms the JIT. It reads
        // the same workload from topics of its own, because the service's order side and ledgers talk
        // through topics named by the prefix, which a second application on the same topics would share.
        String warmUpPrefix = prefix.replace(".", "-warm-up.");
        InventoryBenchmark warmUp = new InventoryBenchmark(env, warmUpPrefix);
        try {
            bench.run(Path.of(env.get("BENCH_RESULTS", "docs/benchmarks.md")), warmUp);
        } finally {
            if (!Boolean.parseBoolean(env.get("BENCH_KEEP", "false"))) {
                // The applications' changelog and repartition topics are named from these prefixes too.
                Benchmarks.deleteTopicsOfRun(bench.bootstrap, List.of(prefix, warmUpPrefix));
            }
        }
    }

    private void run(Path results, InventoryBenchmark warmUp) throws Exception {
        long produced = provisionAndProduce();

        double raw = Benchmarks.rawConsume(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                List.of(topics.orders().name(), topics.stockMovements().name()), produced);
        // The naive job reads the topics in seconds: a first pass warms the JIT, the second is measured.
        naiveAggregate(produced, "warm-up");
        double naive = naiveAggregate(produced, "measured");
        flowSkeleton(produced, "warm-up");
        double skeleton = flowSkeleton(produced, "measured");
        InventoryConfig serviceConfig = serviceConfig();
        double inventory;
        double[] latency;
        double[] lowRateLatency;
        int lowRate = env.getInt("BENCH_LOW_LATENCY_RATE", 2_000);
        warmUp.serviceWarmUp();
        try (InventoryService service = new InventoryService(serviceConfig); KafkaProducer<String, Object> probes = probeProducer()) {
            inventory = inventoryThroughput(service, serviceConfig, produced, "inventory");
            // The workload is meant to hold only what a retailer's systems would send: a dead letter here
            // is a workload event the rules refuse, and would make the service look faster than it is.
            log("dead letters of the measured pass, by reason: %s", deadLettersByReason());
            // One producer for both latency phases, connected before they start, so that neither times
            // a new producer's metadata and producer-id requests, as a long-lived client never waits for them.
            probes.partitionsFor(topics.stockMovements().name());
            // In a deployment the service has its JVM to itself. Here the garbage of the earlier phases (the
            // warm-up instance, the naive job, the throughput pass) fills the old generation, and G1 would
            // mark and collect it during the latency phases, taking one of the two cores for seconds.
            System.gc();
            lowRateLatency = feedLatency(serviceConfig, probes, skus, lowRate);
            latency = feedLatency(serviceConfig, probes, skus, env.getInt("BENCH_LATENCY_RATE", 10_000));
        }
        log("raw consume %,.0f/s, naive streams aggregate (EOS) %,.0f/s, inventory flow skeleton (EOS) %,.0f/s (%.2f of naive), "
                + "inventory (EOS) %,.0f/s (%.2f of naive, %.2f of the skeleton), feed latency p50 %.1f ms p99 %.1f ms",
                raw, naive, skeleton, skeleton / naive, inventory, inventory / naive, inventory / skeleton, latency[0], latency[1]);
        BenchmarkTable.record(results, List.of(
                new BenchmarkTable.Row("raw consume", OptionalDouble.of(raw), OptionalDouble.of(raw), OptionalDouble.empty(), OptionalDouble.empty(), COMMAND),
                new BenchmarkTable.Row("naive streams aggregate (EOS)", OptionalDouble.of(naive), OptionalDouble.of(raw), OptionalDouble.empty(), OptionalDouble.empty(), COMMAND),
                new BenchmarkTable.Row("inventory flow skeleton (EOS)", OptionalDouble.of(skeleton), OptionalDouble.of(raw), OptionalDouble.empty(), OptionalDouble.empty(), COMMAND),
                new BenchmarkTable.Row("inventory (EOS)", OptionalDouble.of(inventory), OptionalDouble.of(raw),
                        OptionalDouble.of(latency[0]), OptionalDouble.of(latency[1]), COMMAND),
                new BenchmarkTable.Row("inventory feed latency at " + lowRate + "/s (EOS)", OptionalDouble.of(lowRate), OptionalDouble.empty(),
                        OptionalDouble.of(lowRateLatency[0]), OptionalDouble.of(lowRateLatency[1]), COMMAND)));
    }

    // ---------------------------------------------------------------- workload

    private long provisionAndProduce() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            new TopicProvisioner(admin, SchemaRegistry.connect(registryConfig)).provision(topics.all());
        }
        Workload workload = new Workload(skus, locations, env.getInt("BENCH_SEED", 42));
        log("producing %,d events (%d SKUs, %d locations) to %s and %s", events, skus, locations,
                topics.stockMovements().name(), topics.orders().name());
        return produce(workload);
    }

    private long produce(Workload workload) throws Exception {
        long started = System.nanoTime();
        long count = 0;
        Benchmarks.SendFailures failures = new Benchmarks.SendFailures();
        try (KafkaProducer<String, Object> producer = producer()) {
            while (count < events) {
                Workload.Keyed next = workload.next();
                // Live events, stamped as they are sent (the generator's clock is a simulated one, days long):
                // the service deduplicates recent events by their time, late ones by a longer look-up.
                Instant now = Instant.now();
                if (next.event() instanceof OrderEvent order) {
                    order.setEventTime(now);
                } else if (next.event() instanceof StockEvent stockEvent) {
                    stockEvent.setEventTime(now);
                }
                String topic = next.isOrder() ? topics.orders().name() : topics.stockMovements().name();
                producer.send(new ProducerRecord<>(topic, next.key(), next.event()), failures);
                if (++count % 100_000 == 0) {
                    log("  produced %,d", count);
                }
            }
            producer.flush();
            failures.check();
        }
        log("produced %,d events in %.1f s", count, seconds(started));
        return count;
    }

    private KafkaProducer<String, Object> producer() {
        return new KafkaProducer<>(Benchmarks.throughputProducer(clientProperties()));
    }

    /**
     * The latency phases' sender, with the client's defaults as a system that sends stock events one by
     * one would have them: lz4 on batches of one event allocated a 64 KB block per send (a third of the
     * JVM's garbage at 10,000/s) and bought nothing.
     */
    private KafkaProducer<String, Object> probeProducer() {
        return new KafkaProducer<>(clientProperties());
    }

    private Map<String, Object> clientProperties() {
        Map<String, Object> props = new HashMap<>(registryConfig);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class);
        return props;
    }

    // ---------------------------------------------------------------- the consumers

    private double naiveAggregate(long expected, String pass) throws Exception {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, Long> stockQuantities = builder.stream(topics.stockMovements().name(),
                        Consumed.with(Serdes.String(), topics.stockMovements().valueSerde()))
                .mapValues(InventoryBenchmark::quantity);
        KStream<String, Long> orderQuantities = builder.stream(topics.orders().name(),
                        Consumed.with(Serdes.String(), topics.orders().valueSerde()))
                .mapValues(InventoryBenchmark::quantity);
        stockQuantities.merge(orderQuantities)
                .groupByKey(Grouped.with(Serdes.String(), Serdes.Long()))
                .aggregate(() -> 0L, (key, quantity, total) -> total + quantity,
                        Materialized.<String, Long>as(Stores.persistentKeyValueStore("quantities"))
                                .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()));
        // As many stream threads as the service runs, so that the ratio compares jobs of the same parallelism.
        Properties threads = new Properties();
        threads.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, serviceConfig().streamsProperties().get(StreamsConfig.NUM_STREAM_THREADS_CONFIG));
        return streamsRate(builder.build(), threads, topics.orders().name() + "-naive-" + pass, Set.of(),
                expected, "naive streams aggregate (" + pass + ")");
    }

    /**
     * The service's flow without its rules ({@link FlowSkeleton}): the most a service of this shape
     * reaches here, whatever its rules cost.
     */
    private double flowSkeleton(long expected, String pass) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            int partitions = env.getInt("BENCH_PARTITIONS", 4);
            List<NewTopic> outputs = List.of(new NewTopic(FlowSkeleton.positionsTopic(topics), partitions, (short) 1),
                    new NewTopic(FlowSkeleton.decisionsTopic(topics), partitions, (short) 1));
            if (!admin.listTopics().names().get().contains(outputs.get(0).name())) {
                admin.createTopics(outputs).all().get();
            }
        }
        String applicationId = topics.orders().name() + "-skeleton-" + pass;
        // The service's own tuning (commit interval, linger, caches, RocksDB, task idling, stream threads).
        Properties tuning = serviceConfig().streamsProperties();
        tuning.remove(StreamsConfig.APPLICATION_SERVER_CONFIG);
        // Its two internal topics must be drained too, as the service's are.
        return streamsRate(FlowSkeleton.build(topics), tuning, applicationId,
                Set.of(applicationId + "-lines-repartition", applicationId + "-answers-repartition"),
                expected, "inventory flow skeleton (" + pass + ")");
    }

    /** Runs a job with exactly-once from the topics' start until it has committed through them all. */
    private double streamsRate(Topology topology, Properties tuning, String applicationId, Set<String> internalTopics,
                               long expected, String what) throws Exception {
        Properties props = new Properties();
        props.putAll(tuning);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, workDir.resolve(applicationId).toString());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        Set<String> drained = new HashSet<>(internalTopics);
        drained.addAll(Set.of(topics.orders().name(), topics.stockMovements().name()));
        try (KafkaStreams streams = new KafkaStreams(topology, props)) {
            streams.start();
            double rate = drain(streams, applicationId, drained, expected, what);
            streams.close(Duration.ofSeconds(30));
            return rate;
        }
    }

    /** The service's configuration: its own INVENTORY_* settings from the environment, on this run's topics and directories. */
    private InventoryConfig serviceConfig() throws Exception {
        Map<String, String> settings = new HashMap<>();
        System.getenv().forEach((name, value) -> {
            if (name.startsWith("INVENTORY_")) {
                settings.put(name, value);
            }
        });
        settings.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        settings.put("SCHEMA_REGISTRY_URL", String.valueOf(registryConfig.get("schema.registry.url")));
        settings.put("OMNISTOCK_TOPIC_PREFIX", topics.orders().name().replace("orders", ""));
        settings.put("OMNISTOCK_TOPIC_PARTITIONS", env.get("BENCH_PARTITIONS", "4"));
        settings.put("INVENTORY_APPLICATION_ID", topics.orders().name() + "-inventory");
        settings.put("INVENTORY_STATE_DIR", workDir.resolve("inventory").toString());
        settings.put("INVENTORY_HTTP_PORT", Integer.toString(FreePorts.one()));
        return InventoryConfig.from(Config.of(settings));
    }

    /** The whole workload through a service of its own, to warm the JIT; its rate is printed, not recorded. */
    private void serviceWarmUp() throws Exception {
        long produced = provisionAndProduce();
        InventoryConfig serviceConfig = serviceConfig();
        try (InventoryService service = new InventoryService(serviceConfig)) {
            inventoryThroughput(service, serviceConfig, produced, "inventory (warm-up)");
        }
    }

    private double inventoryThroughput(InventoryService service, InventoryConfig config, long expected, String what) throws Exception {
        ThreadCpu cpu = new ThreadCpu();
        long started = System.nanoTime();
        service.start();
        // Orders loop back through the service's two internal topics; those must be drained too.
        double rate = drain(service.streams(), config.applicationId(), Set.of(topics.orders().name(), topics.stockMovements().name(),
                topics.ledgerCommands().name(), topics.lineAnswers().name()), expected, what);
        // How busy the stream thread was tells a thread short of CPU from one that waits (for commits, for its input).
        log("%s: CPU in its %.1f s from start to drained: %s", what, seconds(started), cpu.since());
        return rate;
    }

    /** The dead-letter topic's records so far, counted by the reason in their headers (its first words). */
    private Map<String, Long> deadLettersByReason() {
        Map<String, Object> props = new HashMap<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        Map<String, Long> reasons = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topics.deadLetters().name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                check(deadline, "the dead-letter topic could not be read to its end");
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Header message = record.headers().lastHeader(DeadLetterHeaders.MESSAGE);
                    String reason = message == null ? "(no reason)" : new String(message.value(), StandardCharsets.UTF_8);
                    // Reasons name SKUs and orders; their first words say what kind of refusal it was.
                    reasons.merge(reason.length() > 48 ? reason.substring(0, 48) + "…" : reason, 1L, Long::sum);
                }
            }
        }
        return reasons;
    }

    /**
     * Waits until the application's committed offsets reach the end of every named topic (and the
     * ends stop moving), from the moment it is RUNNING, and returns input events per second.
     */
    private double drain(KafkaStreams streams, String applicationId, Set<String> topicNames, long inputEvents, String what) throws Exception {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            check(deadline, what + " did not reach RUNNING");
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        long started = System.nanoTime();
        WriteCost cost = new WriteCost(streams);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Map<TopicPartition, Long> previousEnds = Map.of();
            long lastProgress = System.nanoTime();
            while (true) {
                check(deadline, what + " did not drain within " + DRAIN_TIMEOUT);
                Map<TopicPartition, Long> ends = endOffsets(admin, topicNames);
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                        .partitionsToOffsetAndMetadata().get();
                boolean caughtUp = ends.entrySet().stream().allMatch(e -> e.getValue() == 0
                        || (committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue()));
                if (caughtUp && ends.equals(previousEnds)) {
                    // The last commit was seen just now; the run ended at most one poll interval ago.
                    double rate = inputEvents / (seconds(started) - 0.05);
                    log("%s: %,d input events at %,.0f/s; %s", what, inputEvents, rate, cost.perInputEvent(inputEvents));
                    return rate;
                }
                if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(10)) {
                    long behind = ends.entrySet().stream().mapToLong(e -> e.getValue()
                            - (committed.get(e.getKey()) == null ? 0 : committed.get(e.getKey()).offset())).sum();
                    log("  %s: %,d records still to process", what, behind);
                    lastProgress = System.nanoTime();
                }
                previousEnds = ends;
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
    }

    static Map<TopicPartition, Long> endOffsets(Admin admin, Set<String> topicNames) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        admin.describeTopics(topicNames).allTopicNames().get().forEach((name, description) ->
                description.partitions().forEach(p -> request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, Long> ends = new HashMap<>();
        // Transaction markers take offsets too: read_committed ends are what a committed offset reaches.
        admin.listOffsets(request, new org.apache.kafka.clients.admin.ListOffsetsOptions(org.apache.kafka.common.IsolationLevel.READ_COMMITTED))
                .all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    // ---------------------------------------------------------------- latency

    /** Stock events at a steady rate; each one's change is timed until it arrives on the SSE feed. */
    private double[] feedLatency(InventoryConfig config, KafkaProducer<String, Object> producer, int skus, int rate) throws Exception {
        int seconds = env.getInt("BENCH_LATENCY_SECONDS", 30);
        long total = (long) rate * seconds;
        // By event id, the event's index; arrays sized up front, so nothing grows while the service is timed.
        Map<String, Integer> indexById = new ConcurrentHashMap<>();
        long[] sentNanos = new long[(int) total];
        AtomicLongArray latenciesNanos = new AtomicLongArray((int) total);
        AtomicInteger seen = new AtomicInteger();
        long[] sentMillis = new long[(int) total];
        AtomicLongArray feedMillis = new AtomicLongArray((int) total);
        LatencyStages stages = Boolean.parseBoolean(env.get("BENCH_LATENCY_STAGES", "false"))
                ? new LatencyStages(clientProperties(), topics.stockMovements(), topics.inventoryAvailability(), indexById, (int) total) : null;
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<InputStream> feed = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + config.httpPort() + "/v1/availability-feed"))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(feed.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("data: {\"sku\"")) {
                        long now = System.nanoTime();
                        Integer index = indexById.get(causedByEventId(line));
                        // The first arrival counts; a change sent again (after a takeover) does not.
                        if (index != null && latenciesNanos.compareAndSet(index, 0, now - sentNanos[index])) {
                            feedMillis.set(index, System.currentTimeMillis());
                            seen.incrementAndGet();
                        }
                    } else if (line.equals("event: ready")) {
                        ready.countDown();
                    }
                }
            } catch (Exception e) {
                // the feed is closed at the end
            }
        }, "feed-reader");
        reader.setDaemon(true);
        reader.start();
        // Changes made before the feed has its subscriber are not sent to it; start once it has.
        if (!ready.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the feed sent no ready event within 10 s");
        }

        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        log("latency: %,d stock events at %,d/s, timed to the SSE feed", total, rate);
        ThreadCpu cpu = new ThreadCpu();
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            Benchmarks.waitUntil(start + i * intervalNanos);
            StockEvent event = latencyProbe(i, skus);
            sentNanos[(int) i] = System.nanoTime();
            sentMillis[(int) i] = System.currentTimeMillis();
            indexById.put(event.getEventId().toString(), (int) i);
            producer.send(new ProducerRecord<>(topics.stockMovements().name(), event.getSku(), event));
        }
        producer.flush();
        long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (seen.get() < total && System.nanoTime() < waitUntil) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        log("latency: CPU during the phase: %s", cpu.since());
        feed.body().close();
        StageSplit split = null;
        if (stages != null) {
            stages.close();
            split = (from, to) -> stages.slowestPercent(sentMillis, feedMillis, from, to);
        }
        long[] sorted = IntStream.range(0, (int) total).mapToLong(latenciesNanos::get).filter(l -> l > 0).sorted().toArray();
        log("latency: %,d of %,d changes seen on the feed (%,d not within 30 s)", sorted.length, total, total - sorted.length);
        logSlowestSeconds(latenciesNanos, rate, split);
        if (sorted.length == 0) {
            throw new IllegalStateException("no change arrived on the feed: is the service's API reachable?");
        }
        return new double[] {percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6};
    }

    /**
     * The event id in an availability event's data, found without parsing the whole position: in the same
     * JVM as the service, a JSON tree per change took as much CPU as the service's feed itself.
     */
    private static String causedByEventId(String dataLine) {
        String field = "\"causedByEventId\":\"";
        int start = dataLine.indexOf(field);
        return start < 0 ? "" : dataLine.substring(start + field.length(), dataLine.indexOf('"', start + field.length()));
    }

    /** The aim for the feed's p99 at 10,000 events/s. */
    private static final double AIM_P99_MS = 50;

    /** One second of a latency phase, by send time. */
    private record SecondOfPhase(int second, double p99Ms, double maxMs) {
    }

    /** Describes where the time of the probes [from, to) went. */
    private interface StageSplit {
        String of(int from, int to);
    }

    /**
     * Where in the phase the tail is: the seconds with the highest p99, so a stall shows as one; with
     * {@code split}, each of the five slowest seconds with the stages of its slowest changes.
     */
    private static void logSlowestSeconds(AtomicLongArray latenciesNanos, int rate, StageSplit split) {
        List<SecondOfPhase> seconds = IntStream.range(0, latenciesNanos.length() / rate).mapToObj(second -> {
            long[] sorted = IntStream.range(second * rate, (second + 1) * rate).mapToLong(latenciesNanos::get)
                    .filter(l -> l > 0).sorted().toArray();
            return sorted.length == 0 ? new SecondOfPhase(second, 0, 0)
                    : new SecondOfPhase(second, percentile(sorted, 0.99) / 1e6, sorted[sorted.length - 1] / 1e6);
        }).toList();
        long over = seconds.stream().filter(s -> s.p99Ms() > AIM_P99_MS).count();
        String slowest = seconds.stream().sorted(Comparator.comparingDouble(SecondOfPhase::p99Ms).reversed()).limit(5)
                .map(s -> String.format("second %d p99 %.1f ms max %.1f ms", s.second(), s.p99Ms(), s.maxMs()))
                .collect(Collectors.joining("; "));
        log("latency: %d of %d seconds with p99 above %.0f ms; slowest: %s", over, seconds.size(), AIM_P99_MS, slowest);
        if (split != null) {
            log("latency: the whole phase, %s", split.of(0, latenciesNanos.length()));
            seconds.stream().sorted(Comparator.comparingDouble(SecondOfPhase::p99Ms).reversed()).limit(5).forEach(s ->
                    log("latency: second %d, %s", s.second(), split.of(s.second() * rate, (s.second() + 1) * rate)));
        }
    }

    /** A count that always changes a position, on a pool of up to 1,000 of the most popular SKUs. */
    private static StockEvent latencyProbe(long i, int skus) {
        return StockEvent.newBuilder().setEventId(UUID.randomUUID()).setEventTime(Instant.now()).setChannel(Channel.WAREHOUSE)
                .setSourceSystem("benchmark").setSku(Workload.sku((int) (i % Math.min(1_000, skus)))).setLocationId(Workload.location(0))
                .setPayload(new StockCounted(500 + (int) (i % 7), CountType.CYCLE_COUNT)).build();
    }


    // ---------------------------------------------------------------- helpers

    private static long quantity(StockEvent event) {
        Object payload = event.getPayload();
        if (payload instanceof StockCounted c) {
            return c.getOnHand();
        }
        if (payload instanceof StockReceived r) {
            return r.getQuantity();
        }
        return 0;
    }

    private static long quantity(OrderEvent event) {
        return event.getPayload() instanceof OrderPlaced placed
                ? placed.getLines().stream().mapToLong(l -> l.getQuantity()).sum() : 0;
    }

    private static void check(long deadlineNanos, String message) {
        if (System.nanoTime() > deadlineNanos) {
            throw new IllegalStateException(message);
        }
    }

}
