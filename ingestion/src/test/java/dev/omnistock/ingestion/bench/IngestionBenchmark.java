package dev.omnistock.ingestion.bench;

import static dev.omnistock.testsupport.Benchmarks.log;
import static dev.omnistock.testsupport.Benchmarks.percentile;
import static dev.omnistock.testsupport.Benchmarks.seconds;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnistock.config.Config;
import dev.omnistock.events.Channel;
import dev.omnistock.events.CountType;
import dev.omnistock.events.StockCounted;
import dev.omnistock.events.StockEvent;
import dev.omnistock.ingestion.IngestionService;
import dev.omnistock.ingestion.api.IngestionApi;
import dev.omnistock.serde.AvroSerializer;
import dev.omnistock.testsupport.BenchmarkTable;
import dev.omnistock.testsupport.Benchmarks;
import dev.omnistock.testsupport.FreePorts;
import dev.omnistock.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Measures, in one run against the running broker and registry: the raw producer rate (Avro stock
 * counts, lz4, linger 5 ms, 64 KB batches, acks=all), the rate the ingestion API accepts the same
 * counts at through its batch endpoint (each 202 only after Kafka acknowledged), and the API's
 * request latency at a steady moderate rate of single requests. Writes rows "raw produce" and
 * "ingestion api" into docs/benchmarks.md.
 *
 * <p>Settings (environment): BENCH_EVENTS (500000), BENCH_BATCH (500 counts per request),
 * BENCH_CONCURRENCY (8 requests in flight), BENCH_LATENCY_RATE (200 requests/s), BENCH_LATENCY_SECONDS (10),
 * BENCH_KEEP (false: the run's topics are deleted at the end).
 */
public final class IngestionBenchmark {

    static final String COMMAND = "infra/local-stack up && ingestion/benchmark";
    private static final String KEY = "bench-key";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Config env = Config.fromEnvironment();
        int events = env.getInt("BENCH_EVENTS", 500_000);
        String prefix = "bench-ingest-" + Long.toString(System.currentTimeMillis(), 36) + ".";
        int port = FreePorts.one();
        Map<String, String> settings = new HashMap<>();
        settings.put("KAFKA_BOOTSTRAP_SERVERS", env.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"));
        settings.put("SCHEMA_REGISTRY_URL", env.get("SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081/apis/ccompat/v7"));
        settings.put("OMNISTOCK_TOPIC_PREFIX", prefix);
        settings.put("OMNISTOCK_TOPIC_PARTITIONS", "4");
        settings.put("INGESTION_HTTP_PORT", Integer.toString(port));
        settings.put("INGESTION_API_KEYS", "WAREHOUSE:" + KEY);
        Config config = Config.of(settings);
        Topics topics = Topics.from(config);

        try (IngestionApi api = IngestionService.start(config)) {
            run(env, settings, topics, events, port);
        } finally {
            if (!Boolean.parseBoolean(env.get("BENCH_KEEP", "false"))) {
                Benchmarks.deleteTopicsOfRun(settings.get("KAFKA_BOOTSTRAP_SERVERS"), List.of(prefix));
            }
        }
    }

    private static void run(Config env, Map<String, String> settings, Topics topics, int events, int port) throws Exception {
        double raw = rawProduce(settings, topics, events);
        double accepted = apiBatches(port, events, env.getInt("BENCH_BATCH", 500), env.getInt("BENCH_CONCURRENCY", 8));
        double[] latency = apiLatency(port, env.getInt("BENCH_LATENCY_RATE", 200), env.getInt("BENCH_LATENCY_SECONDS", 10));
        log("raw produce %,.0f/s, ingestion api %,.0f/s (%.2f of raw), single-request latency p50 %.1f ms p99 %.1f ms",
                raw, accepted, accepted / raw, latency[0], latency[1]);
        BenchmarkTable.record(Path.of(env.get("BENCH_RESULTS", "docs/benchmarks.md")), List.of(
                new BenchmarkTable.Row("raw produce", OptionalDouble.of(raw), OptionalDouble.of(raw), OptionalDouble.empty(), OptionalDouble.empty(), COMMAND),
                new BenchmarkTable.Row("ingestion api", OptionalDouble.of(accepted), OptionalDouble.of(raw),
                        OptionalDouble.of(latency[0]), OptionalDouble.of(latency[1]), COMMAND)));
    }

    private static double rawProduce(Map<String, String> settings, Topics topics, int events) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.get("KAFKA_BOOTSTRAP_SERVERS"));
        props.put("schema.registry.url", settings.get("SCHEMA_REGISTRY_URL"));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class);
        long started = System.nanoTime();
        try (KafkaProducer<String, StockEvent> producer = new KafkaProducer<>(Benchmarks.throughputProducer(props))) {
            for (int i = 0; i < events; i++) {
                StockEvent event = count(i);
                producer.send(new ProducerRecord<>(topics.rawStockMovements().name(), event.getSku(), event));
            }
            producer.flush();
        }
        double rate = events / seconds(started);
        log("raw produce: %,d events at %,.0f/s", events, rate);
        return rate;
    }

    private static double apiBatches(int port, int events, int batchSize, int concurrency) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Semaphore inFlight = new Semaphore(concurrency);
        AtomicLong acceptedEvents = new AtomicLong();
        List<CompletableFuture<Void>> requests = new ArrayList<>();
        long started = System.nanoTime();
        for (int from = 0; from < events; from += batchSize) {
            List<Map<String, Object>> counts = new ArrayList<>(batchSize);
            for (int i = from; i < Math.min(events, from + batchSize); i++) {
                counts.add(Map.of("sku", sku(i), "locationId", "DC-" + (i % 8), "onHand", i % 500));
            }
            byte[] body = JSON.writeValueAsBytes(Map.of("counts", counts));
            inFlight.acquire();
            requests.add(http.sendAsync(request(port, "/v1/stock/counts/batch", body), HttpResponse.BodyHandlers.ofString())
                    .thenAccept(response -> {
                        if (response.statusCode() != 202) {
                            throw new IllegalStateException("the API answered " + response.statusCode() + ": " + response.body());
                        }
                        acceptedEvents.addAndGet(counts.size());
                    })
                    .whenComplete((ok, error) -> inFlight.release()));
        }
        CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        double rate = acceptedEvents.get() / seconds(started);
        log("ingestion api: %,d events accepted in batches of %d, %d in flight, at %,.0f/s", acceptedEvents.get(), batchSize, concurrency, rate);
        return rate;
    }

    private static double[] apiLatency(int port, int rate, int seconds) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        int total = rate * seconds;
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        List<CompletableFuture<Long>> timings = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            Benchmarks.waitUntil(start + i * interval);
            byte[] body = JSON.writeValueAsBytes(Map.of("sku", sku(i), "locationId", "STORE-1", "onHand", i % 100));
            long sent = System.nanoTime();
            timings.add(http.sendAsync(request(port, "/v1/stock/counts", body), HttpResponse.BodyHandlers.ofString())
                    .thenApply(response -> {
                        if (response.statusCode() != 202) {
                            throw new IllegalStateException("the API answered " + response.statusCode() + ": " + response.body());
                        }
                        return System.nanoTime() - sent;
                    }));
        }
        long[] sorted = new long[total];
        for (int i = 0; i < total; i++) {
            sorted[i] = timings.get(i).get(1, TimeUnit.MINUTES);
        }
        java.util.Arrays.sort(sorted);
        log("latency: %,d single requests at %,d/s", total, rate);
        return new double[] {percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6};
    }

    private static HttpRequest request(int port, String path, byte[] body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").header("X-Api-Key", KEY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static StockEvent count(int i) {
        return StockEvent.newBuilder().setEventId(UUID.randomUUID()).setEventTime(Instant.now()).setChannel(Channel.WAREHOUSE)
                .setSourceSystem("benchmark").setSku(sku(i)).setLocationId("DC-" + (i % 8))
                .setPayload(new StockCounted(i % 500, CountType.WMS_SNAPSHOT)).build();
    }

    private static String sku(int i) {
        return "SKU-" + (i % 20_000);
    }
}
