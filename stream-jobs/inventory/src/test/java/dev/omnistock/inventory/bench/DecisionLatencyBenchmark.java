package dev.omnistock.inventory.bench;

import static dev.omnistock.testsupport.Benchmarks.log;
import static dev.omnistock.testsupport.Benchmarks.percentile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnistock.config.Config;
import dev.omnistock.events.LineCommand;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.StockEvent;
import dev.omnistock.generator.Workload;
import dev.omnistock.ingestion.IngestionService;
import dev.omnistock.ingestion.api.IngestionApi;
import dev.omnistock.inventory.InventoryConfig;
import dev.omnistock.inventory.InventoryService;
import dev.omnistock.serde.AvroSerializer;
import dev.omnistock.testsupport.BenchmarkTable;
import dev.omnistock.testsupport.Benchmarks;
import dev.omnistock.testsupport.FreePorts;
import dev.omnistock.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Times an order's decision as a storefront waits for it: one-line orders posted to the ingestion API,
 * each timed from its 202 to (a) its decision on {@code order-decisions}, read by a {@code read_committed}
 * consumer with the client's defaults that was reading before the order was sent, and (b)
 * {@code GET /v1/orders/{id}} on the inventory API answering a decided status, asked every
 * BENCH_POLL_MS. The same consumer notes when the order's line command (on the ledger-commands topic) and
 * its line answer (on the line-answers topic) became readable, which splits the wait into the service's
 * hops: each is readable only once the transaction that wrote it has committed.
 *
 * <p>Two phases, each of BENCH_PROBES orders sent one at a time (the next once the last is decided both
 * ways, after a random pause of up to BENCH_PROBE_PAUSE_MS): light load (nothing else is sent), and under load, the generator's default mix ({@link Workload},
 * deep stock) sent straight to Kafka, paced so its orders come at BENCH_LOAD_ORDERS_RATE a second with the
 * mix's other events between them. The ingestion API and the inventory service run in this JVM, on
 * topics of the run's own. Prints p50, p90, p99 and max of each wait and writes p50/p99 rows into
 * docs/benchmarks.md.
 *
 * <p>Settings (environment): BENCH_PROBES (200), BENCH_WARM_UP_PROBES (30, not counted), BENCH_POLL_MS (5),
 * BENCH_PROBE_PAUSE_MS (600, two commit intervals of the default),
 * BENCH_LOAD_ORDERS_RATE (500), BENCH_LOAD_SKUS (1000), BENCH_LOCATIONS (8), BENCH_SEED (42),
 * BENCH_PARTITIONS (4), BENCH_ROW_SUFFIX (none; appended to the rows' names, for a run with other
 * settings), BENCH_KEEP (false). The service's own INVENTORY_* settings are passed through (e.g.
 * INVENTORY_COMMIT_INTERVAL_MS), except its application id, state directory and HTTP port.
 */
public final class DecisionLatencyBenchmark {

    static final String COMMAND = "infra/local-stack up && stream-jobs/inventory/benchmark-decisions";
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WEB_KEY = "bench-web-key";
    private static final String WAREHOUSE_KEY = "bench-wms-key";
    private static final int PROBE_SKUS = 20;

    private final Config env;
    private final String bootstrap;
    private final String registryUrl;
    private final String prefix;
    private final Topics topics;
    private final Map<String, Object> registryConfig;
    private final Path workDir;
    private final int pollMillis;
    private final HttpClient http = HttpClient.newHttpClient();
    private final int maxPauseMillis;
    private final Random pauses;
    private int probeNumber;

    private DecisionLatencyBenchmark(Config env, String prefix) throws Exception {
        this.env = env;
        this.prefix = prefix;
        this.bootstrap = env.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
        this.registryUrl = env.get("SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081/apis/ccompat/v7");
        Config shared = Config.of(sharedSettings());
        this.topics = Topics.from(shared);
        this.registryConfig = new HashMap<>(dev.omnistock.config.SchemaRegistryConnection.from(shared).serdeConfig());
        this.workDir = Files.createDirectories(Path.of("target", "bench", prefix.replace(".", ""))).toAbsolutePath();
        this.pollMillis = env.getInt("BENCH_POLL_MS", 5);
        this.maxPauseMillis = env.getInt("BENCH_PROBE_PAUSE_MS", 600);
        this.pauses = new Random(env.getInt("BENCH_SEED", 42));
    }

    public static void main(String[] args) throws Exception {
        Config env = Config.fromEnvironment();
        String prefix = "bench-decisions-" + Long.toString(System.currentTimeMillis(), 36) + ".";
        DecisionLatencyBenchmark bench = new DecisionLatencyBenchmark(env, prefix);
        try {
            bench.run(Path.of(env.get("BENCH_RESULTS", "docs/benchmarks.md")));
        } finally {
            if (!Boolean.parseBoolean(env.get("BENCH_KEEP", "false"))) {
                Benchmarks.deleteTopicsOfRun(bench.bootstrap, List.of(prefix));
            }
        }
        // The HTTP client's and Kafka's threads would keep the JVM up.
        System.exit(0);
    }

    private Map<String, String> sharedSettings() {
        return Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap, "SCHEMA_REGISTRY_URL", registryUrl,
                "OMNISTOCK_TOPIC_PREFIX", prefix, "OMNISTOCK_TOPIC_PARTITIONS", env.get("BENCH_PARTITIONS", "4"));
    }

    private void run(Path results) throws Exception {
        int probes = env.getInt("BENCH_PROBES", 200);
        int ordersRate = env.getInt("BENCH_LOAD_ORDERS_RATE", 500);
        InventoryConfig serviceConfig = serviceConfig();
        log("inventory commit interval %d ms, poll of GET every %d ms, %d probes per phase", serviceConfig.commitIntervalMs(), pollMillis, probes);
        Map<String, String> ingestionSettings = new HashMap<>(sharedSettings());
        ingestionSettings.put("INGESTION_HTTP_PORT", Integer.toString(FreePorts.one()));
        ingestionSettings.put("INGESTION_API_KEYS", "WEB:" + WEB_KEY + ",WAREHOUSE:" + WAREHOUSE_KEY);
        Phase light;
        Phase loaded;
        // The ingestion API provisions the run's topics.
        try (IngestionApi api = IngestionService.start(Config.of(ingestionSettings));
             InventoryService service = new InventoryService(serviceConfig);
             Watcher watcher = new Watcher()) {
            service.start();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (service.streams().state() != KafkaStreams.State.RUNNING) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the inventory service did not reach RUNNING");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            for (int i = 0; i < PROBE_SKUS; i++) {
                post(api, "/v1/stock/counts", WAREHOUSE_KEY, "{\"sku\":\"" + probeSku(i) + "\",\"locationId\":\"DC-PROBE\",\"onHand\":1000000}");
            }
            watcher.start();
            // The first orders through a fresh JVM and service time the JIT and the clients' first connections.
            Phase warmUp = probes(api, serviceConfig, watcher, env.getInt("BENCH_WARM_UP_PROBES", 30), "warm-up");
            warmUp.print();
            light = probes(api, serviceConfig, watcher, probes, "light load");
            light.print();
            try (Load load = new Load(ordersRate)) {
                load.start();
                // The catalogue's opening counts go first, as fast as they can; time the probes once the mix runs at its rate.
                while (!load.steady()) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                }
                long caughtUp = System.nanoTime();
                while (behind(serviceConfig) > 2L * ordersRate) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
                }
                log("the service caught up with the opening counts in %.1f s", Benchmarks.seconds(caughtUp));
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(5));
                long ordersBefore = load.orders.get();
                long eventsBefore = load.events.get();
                long started = System.nanoTime();
                loaded = probes(api, serviceConfig, watcher, probes, "under load");
                double seconds = Benchmarks.seconds(started);
                log("load during the probes: %,.0f orders/s, %,.0f events/s of the mix, straight to Kafka; the service %,d records behind at the end",
                        (load.orders.get() - ordersBefore) / seconds, (load.events.get() - eventsBefore) / seconds, behind(serviceConfig));
                loaded.print();
            }
        }
        String suffix = env.find("BENCH_ROW_SUFFIX").map(s -> " " + s).orElse("");
        String underLoad = ", " + ordersRate + " orders/s of the mix" + suffix;
        BenchmarkTable.record(results, List.of(
                light.row("order decision latency, light load" + suffix + " (to order-decisions)", light.decision),
                light.row("order decision latency, light load" + suffix + " (to GET /v1/orders)", light.lookup),
                loaded.row("order decision latency" + underLoad + " (to order-decisions)", loaded.decision),
                loaded.row("order decision latency" + underLoad + " (to GET /v1/orders)", loaded.lookup)));
    }

    /** The service's configuration: its own INVENTORY_* settings from the environment, on this run's topics and directories. */
    private InventoryConfig serviceConfig() {
        Map<String, String> settings = new HashMap<>(sharedSettings());
        System.getenv().forEach((name, value) -> {
            if (name.startsWith("INVENTORY_")) {
                settings.put(name, value);
            }
        });
        settings.put("INVENTORY_APPLICATION_ID", prefix + "inventory");
        settings.put("INVENTORY_STATE_DIR", workDir.resolve("inventory").toString());
        settings.put("INVENTORY_HTTP_PORT", Integer.toString(FreePorts.one()));
        return InventoryConfig.from(Config.of(settings));
    }

    /** Records of the service's input topics (orders, stock movements) it has not committed yet. */
    private long behind(InventoryConfig config) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            admin.describeTopics(List.of(topics.orders().name(), topics.stockMovements().name())).allTopicNames().get().forEach((name, d) ->
                    d.partitions().forEach(p -> request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(config.applicationId())
                    .partitionsToOffsetAndMetadata().get();
            long behind = 0;
            for (var end : admin.listOffsets(request).all().get().entrySet()) {
                OffsetAndMetadata at = committed.get(end.getKey());
                behind += end.getValue().offset() - (at == null ? 0 : at.offset());
            }
            return behind;
        }
    }

    // ---------------------------------------------------------------- probes

    private static String probeSku(int i) {
        return "SKU-PROBE-" + i;
    }

    /** Sends {@code count} one-line orders, one at a time, and times each. */
    private Phase probes(IngestionApi api, InventoryConfig config, Watcher watcher, int count, String name) throws Exception {
        Phase phase = new Phase(name, count);
        for (int i = 0; i < count; i++) {
            String orderId = "O-PROBE-" + (++probeNumber);
            String body = "{\"orderId\":\"" + orderId + "\",\"currency\":\"EUR\",\"lines\":[{\"lineId\":\"1\",\"sku\":\""
                    + probeSku(probeNumber % PROBE_SKUS) + "\",\"quantity\":1,\"unitPrice\":9.99}]}";
            long sent = System.nanoTime();
            post(api, "/v1/orders", WEB_KEY, body);
            long accepted = System.nanoTime();
            long deadline = accepted + PROBE_TIMEOUT.toNanos();
            long decidedByGet = 0;
            while (decidedByGet == 0 || watcher.seen(watcher.decisions, orderId) == 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(orderId + " was not decided within " + PROBE_TIMEOUT);
                }
                if (decidedByGet == 0 && decided(config, orderId)) {
                    decidedByGet = System.nanoTime();
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pollMillis));
            }
            phase.add(accepted - sent, watcher.seen(watcher.commands, orderId) - accepted, watcher.seen(watcher.answers, orderId) - accepted,
                    watcher.seen(watcher.decisions, orderId) - accepted, decidedByGet - accepted);
            // A probe sent as soon as the last one is decided would be sent just after a commit of the service's
            // (the one that made the decision readable), and would wait the whole interval for the next one;
            // a random pause sends the probes at random points of the commit cycle, as customers' orders come.
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauses.nextInt(maxPauseMillis + 1)));
        }
        return phase;
    }

    private void post(IngestionApi api, String path, String apiKey, String json) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .header("X-Api-Key", apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** Whether the inventory API answers the order with a status past PLACED (404 until its placement has committed). */
    private boolean decided(InventoryConfig config, String orderId) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.httpPort()
                + "/v1/orders/" + orderId)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return false;
        }
        JsonNode order = JSON.readTree(response.body());
        return !"PLACED".equals(order.path("status").asText("PLACED"));
    }

    /** One phase's waits, in nanoseconds from each probe's 202 (the post itself from its send). */
    private static final class Phase {
        final String name;
        final long[] post;
        final long[] command;
        final long[] answer;
        final long[] decision;
        final long[] lookup;
        int size;

        Phase(String name, int count) {
            this.name = name;
            post = new long[count];
            command = new long[count];
            answer = new long[count];
            decision = new long[count];
            lookup = new long[count];
        }

        void add(long postNanos, long commandNanos, long answerNanos, long decisionNanos, long lookupNanos) {
            post[size] = postNanos;
            command[size] = commandNanos;
            answer[size] = answerNanos;
            decision[size] = decisionNanos;
            lookup[size] = lookupNanos;
            size++;
        }

        void print() {
            log("%s, %d one-line orders one at a time:", name, size);
            log("  POST /v1/orders to its 202              %s", spread(post));
            log("  202 to its line command readable        %s", spread(command));
            log("  202 to its line answer readable         %s", spread(answer));
            log("  202 to its decision on order-decisions  %s", spread(decision));
            log("  202 to GET /v1/orders decided           %s", spread(lookup));
            long[] hop1 = new long[size];
            long[] hop2 = new long[size];
            long[] hop3 = new long[size];
            for (int i = 0; i < size; i++) {
                hop1[i] = command[i];
                hop2[i] = answer[i] - command[i];
                hop3[i] = decision[i] - answer[i];
            }
            log("  hop 1, 202 to the order side's commit          %s", spread(hop1));
            log("  hop 2, to the SKU side's commit               %s", spread(hop2));
            log("  hop 3, to the order side's commit of decision %s", spread(hop3));
        }

        BenchmarkTable.Row row(String benchmark, long[] nanos) {
            long[] sorted = java.util.Arrays.stream(nanos, 0, size).sorted().toArray();
            return new BenchmarkTable.Row(benchmark, OptionalDouble.empty(), OptionalDouble.empty(),
                    OptionalDouble.of(percentile(sorted, 0.50) / 1e6), OptionalDouble.of(percentile(sorted, 0.99) / 1e6), COMMAND);
        }

        private String spread(long[] nanos) {
            long[] sorted = java.util.Arrays.stream(nanos, 0, size).sorted().toArray();
            return String.format("min %6.1f  p50 %6.1f  p90 %6.1f  p99 %6.1f  max %6.1f ms", sorted[0] / 1e6, percentile(sorted, 0.50) / 1e6,
                    percentile(sorted, 0.90) / 1e6, percentile(sorted, 0.99) / 1e6, sorted[sorted.length - 1] / 1e6);
        }
    }

    /**
     * A read_committed consumer, with the client's defaults otherwise, of the ledger-commands, line-answers
     * and order-decisions topics, from their ends: when each probe's record first became readable.
     */
    private final class Watcher implements AutoCloseable {
        final Map<String, Long> commands = new ConcurrentHashMap<>();
        final Map<String, Long> answers = new ConcurrentHashMap<>();
        final Map<String, Long> decisions = new ConcurrentHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread = new Thread(this::read, "decision-watcher");
        private final KafkaConsumer<String, byte[]> consumer;
        private final org.apache.kafka.common.serialization.Deserializer<LineCommand> commandReader;

        Watcher() {
            Map<String, Object> props = new HashMap<>(registryConfig);
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
            commandReader = topics.ledgerCommands().valueSerde().deserializer();
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(topics.ledgerCommands().name(), topics.lineAnswers().name(), topics.orderDecisions().name())) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
        }

        void start() {
            thread.setDaemon(true);
            thread.start();
        }

        long seen(Map<String, Long> topic, String orderId) {
            return topic.getOrDefault(orderId, 0L);
        }

        private void read() {
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.nanoTime();
                    if (record.topic().equals(topics.orderDecisions().name())) {
                        if (record.key().startsWith("O-PROBE-")) {
                            decisions.putIfAbsent(record.key(), now);
                        }
                    } else if (record.topic().equals(topics.lineAnswers().name())) {
                        if (record.key().startsWith("O-PROBE-")) {
                            answers.putIfAbsent(record.key(), now);
                        }
                    } else if (record.key().startsWith("SKU-PROBE-")) {
                        commands.putIfAbsent(commandReader.deserialize(record.topic(), record.value()).getOrderId(), now);
                    }
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(5_000);
            consumer.close();
        }
    }

    // ---------------------------------------------------------------- load

    /**
     * The generator's default mix straight to Kafka: first the catalogue's opening counts as fast as they
     * go, then paced so that the mix's orders come at {@code ordersRate} a second, each event stamped as it
     * is sent.
     */
    private final class Load implements AutoCloseable {
        final AtomicLong orders = new AtomicLong();
        final AtomicLong events = new AtomicLong();
        private final int ordersRate;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicBoolean steady = new AtomicBoolean();
        private final Thread thread = new Thread(this::send, "load");
        private volatile Exception failure;

        Load(int ordersRate) {
            this.ordersRate = ordersRate;
        }

        void start() {
            thread.setDaemon(true);
            thread.start();
        }

        boolean steady() {
            if (failure != null) {
                throw new IllegalStateException("the load failed", failure);
            }
            return steady.get();
        }

        private void send() {
            int skus = env.getInt("BENCH_LOAD_SKUS", 1_000);
            int locations = env.getInt("BENCH_LOCATIONS", 8);
            Workload workload = new Workload(skus, locations, env.getInt("BENCH_SEED", 42));
            Map<String, Object> props = new HashMap<>(registryConfig);
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class);
            props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            Benchmarks.SendFailures failures = new Benchmarks.SendFailures();
            try (KafkaProducer<String, Object> producer = new KafkaProducer<>(props)) {
                for (long i = 0; i < (long) skus * locations; i++) {
                    send(producer, workload.next(), failures);
                }
                producer.flush();
                steady.set(true);
                long start = System.nanoTime();
                long intervalNanos = TimeUnit.SECONDS.toNanos(1) / ordersRate;
                while (running.get()) {
                    Workload.Keyed next = workload.next();
                    if (next.isOrder()) {
                        Benchmarks.waitUntil(start + orders.get() * intervalNanos);
                        orders.incrementAndGet();
                    }
                    send(producer, next, failures);
                }
                producer.flush();
                failures.check();
            } catch (Exception e) {
                failure = e;
            }
        }

        private void send(KafkaProducer<String, Object> producer, Workload.Keyed next, Benchmarks.SendFailures failures) {
            Instant now = Instant.now();
            if (next.event() instanceof OrderEvent order) {
                order.setEventTime(now);
            } else if (next.event() instanceof StockEvent stockEvent) {
                stockEvent.setEventTime(now);
            }
            String topic = next.isOrder() ? topics.orders().name() : topics.stockMovements().name();
            producer.send(new ProducerRecord<>(topic, next.key(), next.event()), failures);
            events.incrementAndGet();
        }

        @Override
        public void close() throws Exception {
            running.set(false);
            thread.join(10_000);
            if (failure != null) {
                throw failure;
            }
        }
    }
}
