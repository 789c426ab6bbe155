package dev.omnistock.analytics.bench;

import static dev.omnistock.testsupport.Benchmarks.log;
import static dev.omnistock.testsupport.Benchmarks.percentile;
import static dev.omnistock.testsupport.Benchmarks.seconds;

import dev.omnistock.analytics.AnalyticsConfig;
import dev.omnistock.analytics.AnalyticsService;
import dev.omnistock.analytics.EmbeddedFlink;
import dev.omnistock.analytics.demand.OrderActivity;
import dev.omnistock.analytics.demand.OrderActivityLine;
import dev.omnistock.analytics.kafka.AvroMapping;
import dev.omnistock.analytics.kafka.AvroRecordDeserializer;
import dev.omnistock.analytics.kafka.Decoded;
import dev.omnistock.clickhouse.ClickHouseConnection;
import dev.omnistock.config.Config;
import dev.omnistock.events.Channel;
import dev.omnistock.events.FulfillmentMethod;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.OrderLine;
import dev.omnistock.events.OrderPlaced;
import dev.omnistock.generator.GroundTruth;
import dev.omnistock.generator.Workload;
import dev.omnistock.serde.AvroSerializer;
import dev.omnistock.testsupport.BenchmarkTable;
import dev.omnistock.testsupport.Benchmarks;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Measures, in one run on the same orders topic of a running stack (the local one, or whatever the
 * environment names): the raw consume rate; a bare Flink job (KafkaSource, keyBy SKU, one-minute
 * event-time windows summing units, discarding sink, heap state); and the analytics job as it runs in
 * production (embedded, checkpoints on, every sink writing into ClickHouse). The analytics rate counts
 * input events until ClickHouse holds their exact totals in the minute, hour and day tables; the run
 * fails if it holds more. ClickHouse's insert rate is printed beside it. Then, on fresh topics, orders
 * at a steady rate with the current time as event time give the lag: from a minute's end to its rows
 * landing in ClickHouse (demand_per_minute.inserted_at).
 *
 * <p>The workload is the ingestion generator's ({@link Workload}) order stream: orders of 1-5 lines by
 * channel, cancellations, shipments and returns, Zipf-like SKU popularity, a simulated daily rhythm.
 *
 * <p>Settings (environment): BENCH_EVENTS (1000000 order events), BENCH_SKUS (10000), BENCH_LOCATIONS (8),
 * BENCH_SEED (42), BENCH_PARTITIONS (4), BENCH_LAG_RATE (2000 events/s), BENCH_LAG_SECONDS (200; at
 * least two minute boundaries must pass; 0 skips the lag and leaves its columns empty), BENCH_KEEP
 * (false: topics and databases are deleted at the end), BENCH_EVENT_TIME_RATE (0: the generator's own
 * clock, a few events per simulated second; N restamps the backlog at N events per second of event
 * time, in the same order, as a retailer whose events arrive at that rate would have them). The job's
 * own ANALYTICS_* and CLICKHOUSE_SINK_* settings apply as in production.
 */
public final class AnalyticsBenchmark {

    static final String COMMAND = "infra/local-stack up && stream-jobs/analytics/benchmark";
    private static final String CLOCK_SKU = "BENCH-CLOCK";
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final List<String> DEMAND_TABLES = List.of("demand_per_minute", "demand_per_hour", "demand_per_day");

    /** The four unit totals every demand table must end with. */
    private record Totals(long ordered, long cancelled, long shipped, long returned) {
        static Totals of(GroundTruth truth) {
            long[] sums = truth.demandTotals();
            return new Totals(sums[0], sums[1], sums[2], sums[3]);
        }

        boolean reaches(Totals expected) {
            return ordered >= expected.ordered && cancelled >= expected.cancelled
                    && shipped >= expected.shipped && returned >= expected.returned;
        }
    }

    private record AnalyticsResult(double eventsPerSecond, double insertedRowsPerSecond, double rowsPerInsert, double rowsPerEvent) {
    }

    private final Config env;
    private final String runId;
    private final Path workDir;
    private final int events;
    /** Events per second of event time the backlog is stamped with; 0 keeps the generator's own clock. */
    private final int eventTimeRate;
    private final int parallelism;
    private final List<Runnable> cleanup = new ArrayList<>();

    private AnalyticsBenchmark(Config env) throws Exception {
        this.env = env;
        this.runId = "bench" + Long.toString(System.currentTimeMillis(), 36);
        this.workDir = Files.createDirectories(Path.of("target", "bench", runId)).toAbsolutePath();
        this.events = env.getInt("BENCH_EVENTS", 1_000_000);
        this.eventTimeRate = env.getInt("BENCH_EVENT_TIME_RATE", 0);
        this.parallelism = env.getInt(AnalyticsConfig.PARALLELISM, AnalyticsConfig.EMBEDDED_PARALLELISM);
    }

    public static void main(String[] args) throws Exception {
        Config env = Config.fromEnvironment();
        AnalyticsBenchmark bench = new AnalyticsBenchmark(env);
        int status = 0;
        try {
            bench.run(Path.of(env.get("BENCH_RESULTS", "docs/benchmarks.md")));
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        } finally {
            if (!Boolean.parseBoolean(env.get("BENCH_KEEP", "false"))) {
                bench.cleanup.forEach(Runnable::run);
            }
        }
        // Kafka and Flink leave non-daemon threads behind; the run is over either way.
        System.exit(status);
    }

    private void run(Path results) throws Exception {
        AnalyticsConfig config = jobConfig("throughput");
        int skus = env.getInt("BENCH_SKUS", 10_000);
        int locations = env.getInt("BENCH_LOCATIONS", 8);
        Workload workload = new Workload(skus, locations, env.getInt("BENCH_SEED", 42));
        String orders = config.topics().orders().name();
        log("producing %,d order events (%d SKUs, %d locations) to %s", events, skus, locations, orders);
        long records = produceBacklog(config, workload);
        Totals expected = Totals.of(workload.truth());

        double raw = Benchmarks.rawConsume(config.kafka().clientProperties(), List.of(orders), records);
        // The bare job reads the topic in a few seconds: a first pass warms the JIT, the second is measured.
        bareWindow(config, records, "warm-up");
        double bare = bareWindow(config, records, "measured");
        // The job is measured on a second pass too. Its first one reads a copy of the backlog from topics
        // and into a database of its own, because its group, checkpoints and tables must start empty.
        AnalyticsConfig warmUp = jobConfig("warmup");
        Workload warmUpWorkload = new Workload(skus, locations, env.getInt("BENCH_SEED", 42));
        produceBacklog(warmUp, warmUpWorkload);
        analytics(warmUp, Totals.of(warmUpWorkload.truth()), "analytics (warm-up)");
        AnalyticsResult analytics = analytics(config, expected, "analytics (to ClickHouse)");
        double[] lag = env.getInt("BENCH_LAG_SECONDS", 200) == 0 ? new double[] {Double.NaN, Double.NaN}
                : lag(jobConfig("lag"), new Workload(skus, locations, env.getInt("BENCH_SEED", 42) + 1));

        log("raw consume %,.0f/s; bare flink window %,.0f/s; analytics (to ClickHouse) %,.0f/s = %.2f of the bare window job; "
                        + "ClickHouse inserts %,.0f rows/s (%,.0f rows per insert, %.2f rows per event); lag from a minute's end to its "
                        + "rows in ClickHouse p50 %.0f ms, p99 %.0f ms (out-of-orderness %d ms of it)",
                raw, bare, analytics.eventsPerSecond(), analytics.eventsPerSecond() / bare, analytics.insertedRowsPerSecond(),
                analytics.rowsPerInsert(), analytics.rowsPerEvent(), lag[0], lag[1], config.job().outOfOrderness().toMillis());
        // Live-stamped runs have rows of their own: the two regimes are bound by different things.
        String regime = eventTimeRate > 0 ? String.format(" live-stamped %d/s", eventTimeRate) : "";
        String command = eventTimeRate > 0 ? "infra/local-stack up && BENCH_EVENT_TIME_RATE=" + eventTimeRate + " stream-jobs/analytics/benchmark" : COMMAND;
        BenchmarkTable.record(results, List.of(
                new BenchmarkTable.Row("raw consume", OptionalDouble.of(raw), OptionalDouble.of(raw),
                        OptionalDouble.empty(), OptionalDouble.empty(), COMMAND),
                new BenchmarkTable.Row("bare flink window" + regime, OptionalDouble.of(bare), OptionalDouble.of(raw),
                        OptionalDouble.empty(), OptionalDouble.empty(), command),
                new BenchmarkTable.Row("analytics (to ClickHouse)" + regime, OptionalDouble.of(analytics.eventsPerSecond()), OptionalDouble.of(raw),
                        measured(lag[0]), measured(lag[1]), command)));
    }

    private static OptionalDouble measured(double value) {
        return Double.isNaN(value) ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    // ---------------------------------------------------------------- set-up

    /** The job's configuration as in production, on topics, a database and directories of this run's own. */
    private AnalyticsConfig jobConfig(String phase) throws Exception {
        Map<String, String> settings = new HashMap<>();
        System.getenv().forEach((name, value) -> {
            if (name.startsWith("ANALYTICS_") || name.startsWith("CLICKHOUSE_") || name.startsWith("KAFKA_")
                    || name.startsWith("SCHEMA_REGISTRY_")) {
                settings.put(name, value);
            }
        });
        ClickHouseConnection server = ClickHouseConnection.from(Config.of(settings));
        String database = runId + "_" + phase;
        try (Connection connection = server.open(); Statement ddl = connection.createStatement()) {
            ddl.execute("CREATE DATABASE IF NOT EXISTS " + database); // a name of our own making, not input
        }
        cleanup.add(() -> quietly("drop database " + database, () -> {
            try (Connection connection = server.open(); Statement ddl = connection.createStatement()) {
                ddl.execute("DROP DATABASE IF EXISTS " + database);
            }
        }));
        settings.put(ClickHouseConnection.URL, server.jdbcUrl().replaceFirst("/[^/?]*(\\?.*)?$", "/" + database + "$1"));
        settings.put("OMNISTOCK_TOPIC_PREFIX", runId + "." + phase + ".");
        settings.put("OMNISTOCK_TOPIC_PARTITIONS", env.get("BENCH_PARTITIONS", "4"));
        settings.put(AnalyticsConfig.GROUP_ID, runId + "-" + phase);
        settings.put(AnalyticsConfig.CHECKPOINT_DIR, workDir.resolve(phase).resolve("checkpoints").toString());
        settings.put(AnalyticsConfig.TMP_DIR, workDir.resolve(phase).resolve("tmp").toString());
        AnalyticsConfig config = AnalyticsConfig.from(Config.of(settings));
        AnalyticsService.prepare(config);
        cleanup.add(() -> quietly("delete topics", () -> {
            try (Admin admin = Admin.create(config.kafka().clientProperties())) {
                admin.deleteTopics(config.topics().all().stream().map(t -> t.name()).toList()).all().get();
            }
        }));
        return config;
    }

    private long produceBacklog(AnalyticsConfig config, Workload workload) throws Exception {
        String topic = config.topics().orders().name();
        long started = System.nanoTime();
        long sent = 0;
        long latestEventTime = 0;
        long firstEventTime = -1;
        Benchmarks.SendFailures failures = new Benchmarks.SendFailures();
        try (KafkaProducer<String, Object> producer = producer(config)) {
            while (sent < events) {
                Workload.Keyed next = workload.next();
                if (next.event() instanceof OrderEvent order) {
                    firstEventTime = firstEventTime < 0 ? order.getEventTime().toEpochMilli() : firstEventTime;
                    if (eventTimeRate > 0) {
                        order.setEventTime(Instant.ofEpochMilli(firstEventTime + sent * 1_000 / eventTimeRate));
                    }
                    producer.send(new ProducerRecord<>(topic, next.key(), order), failures);
                    latestEventTime = Math.max(latestEventTime, order.getEventTime().toEpochMilli());
                    if (++sent % 200_000 == 0) {
                        log("  produced %,d", sent);
                    }
                }
            }
            // An order a day after the last one, in every partition, moves every partition's
            // watermark past the last minute, so every window fires. Its own window never does.
            int partitions = producer.partitionsFor(topic).size();
            for (int partition = 0; partition < partitions; partition++) {
                producer.send(new ProducerRecord<>(topic, partition, "clock-" + partition,
                        clockOrder(Instant.ofEpochMilli(latestEventTime).plus(Duration.ofDays(1)))), failures);
            }
            producer.flush();
            failures.check();
            log("produced %,d order events and %d clock orders in %.1f s", sent, partitions, seconds(started));
            return sent + partitions;
        }
    }

    private static OrderEvent clockOrder(Instant at) {
        return OrderEvent.newBuilder().setEventId(UUID.randomUUID()).setEventTime(at).setChannel(Channel.WEB)
                .setSourceSystem("benchmark").setOrderId("clock-" + UUID.randomUUID())
                .setPayload(OrderPlaced.newBuilder().setCurrency("EUR").setFulfillmentMethod(FulfillmentMethod.SHIP_TO_HOME)
                        .setLines(List.of(new OrderLine("1", CLOCK_SKU, 1, new BigDecimal("1.0000")))).build())
                .build();
    }

    private KafkaProducer<String, Object> producer(AnalyticsConfig config) {
        Map<String, Object> props = new HashMap<>(config.registryConfig());
        props.putAll(config.kafka().clientProperties());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class);
        return new KafkaProducer<>(Benchmarks.throughputProducer(props));
    }

    // ---------------------------------------------------------------- bare Flink window job

    /**
     * KafkaSource (our Avro decoding, the topic read to its current end), keyBy SKU, one-minute
     * event-time windows summing units, a discarding sink; heap state, no checkpoints.
     */
    private double bareWindow(AnalyticsConfig config, long records, String pass) throws Exception {
        Configuration flink = new Configuration();
        flink.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
        flink.set(CoreOptions.TMP_DIRS, config.tmpDir().toString());
        flink.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        StreamExecutionEnvironment job = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        KafkaSource<Decoded<OrderActivity>> source = KafkaSource.<Decoded<OrderActivity>>builder()
                .setProperties(clientProperties(config))
                .setTopics(config.topics().orders().name())
                .setGroupId(runId + "-bare-" + pass)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(OffsetsInitializer.latest())
                .setDeserializer(new AvroRecordDeserializer<>(OrderEvent.class, config.registryConfig(), AvroMapping::orderActivity,
                        TypeInformation.of(new TypeHint<Decoded<OrderActivity>>() { })))
                .build();
        job.fromSource(source, WatermarkStrategy.<Decoded<OrderActivity>>forBoundedOutOfOrderness(config.job().outOfOrderness())
                                .withTimestampAssigner((decoded, kafkaTime) -> decoded.value().eventTime()), "orders")
                .flatMap((Decoded<OrderActivity> decoded, Collector<Tuple2<String, Long>> out) -> {
                    for (OrderActivityLine line : decoded.value().lines()) {
                        out.collect(Tuple2.of(line.sku(), (long) line.quantity()));
                    }
                })
                .returns(Types.TUPLE(Types.STRING, Types.LONG))
                .keyBy(units -> units.f0)
                .window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
                .sum(1)
                .sinkTo(new DiscardingSink<>());
        try (EmbeddedFlink cluster = EmbeddedFlink.start(flink, parallelism)) {
            JobID id = cluster.submit(job);
            cluster.awaitTasksRunning(id, TIMEOUT);
            long started = System.nanoTime();
            cluster.awaitEnd(id);
            double rate = records / seconds(started);
            log("bare flink window (%s): %,d records at %,.0f/s", pass, records, rate);
            return rate;
        }
    }

    private static java.util.Properties clientProperties(AnalyticsConfig config) {
        java.util.Properties properties = new java.util.Properties();
        properties.putAll(config.kafka().clientProperties());
        return properties;
    }

    // ---------------------------------------------------------------- the analytics job

    private AnalyticsResult analytics(AnalyticsConfig config, Totals expected, String what) throws Exception {
        log("%s: the job with checkpoints every %d s, until ClickHouse holds units %s", what, config.checkpointInterval().toSeconds(), expected);
        try (Connection clickHouse = config.clickHouse().open();
             AnalyticsService.Embedded embedded = start(config)) {
            long[] insertsBefore = insertCounters(clickHouse);
            embedded.cluster().awaitTasksRunning(embedded.job(), TIMEOUT);
            long started = System.nanoTime();
            long deadline = started + TIMEOUT.toNanos();
            // Summing the tables costs ClickHouse a scan, so they are summed every two seconds only; the
            // server's insert counter is free to read, and the last time it moved is when the run ended.
            long insertedRows = insertsBefore[0];
            long lastInsert = started;
            long nextCheck = started + TimeUnit.SECONDS.toNanos(2);
            long nextProgress = started + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                long now = System.nanoTime();
                long inserted = insertCounters(clickHouse)[0];
                if (inserted != insertedRows) {
                    insertedRows = inserted;
                    lastInsert = now;
                }
                if (now >= nextCheck) {
                    if (complete(clickHouse, expected)) {
                        break;
                    }
                    nextCheck = now + TimeUnit.SECONDS.toNanos(2);
                }
                if (now >= nextProgress) {
                    log("  %,d rows inserted so far", insertedRows - insertsBefore[0]);
                    nextProgress += TimeUnit.SECONDS.toNanos(10);
                }
                if (now > deadline) {
                    throw new IllegalStateException("ClickHouse did not receive every total within " + TIMEOUT);
                }
            }
            double elapsed = (lastInsert - started) / 1e9;
            long[] insertsAfter = insertCounters(clickHouse);
            long rows = insertsAfter[0] - insertsBefore[0];
            long inserts = insertsAfter[1] - insertsBefore[1];
            double rate = events / elapsed;
            log("%s: %,d order events in %.1f s at %,.0f/s; %,d rows in %,d inserts at %,.0f rows/s; "
                    + "late events: %s", what, events, elapsed, rate, rows, inserts, rows / elapsed, count(clickHouse, "late_events"));
            // The fewest rows any writer could have sent: one per minute and dimensions. Hours and days are views.
            log("rows kept (one per identity): demand_per_minute %,d; rows the views roll them up into: demand_per_hour %,d, demand_per_day %,d",
                    count(clickHouse, "demand_per_minute"), count(clickHouse, "demand_per_hour"), count(clickHouse, "demand_per_day"));
            return new AnalyticsResult(rate, rows / elapsed, inserts == 0 ? 0 : (double) rows / inserts, (double) rows / events);
        }
    }

    private static AnalyticsService.Embedded start(AnalyticsConfig config) throws Exception {
        Configuration flink = AnalyticsService.flinkConfiguration(config);
        StreamExecutionEnvironment job = AnalyticsService.environment(config, flink);
        AnalyticsService.job(config).build(job);
        return AnalyticsService.startEmbedded(config, flink, job);
    }

    /** Every demand table holds exactly the expected totals; more is a double count and fails the run. */
    private static boolean complete(Connection clickHouse, Totals expected) throws SQLException {
        // The cheap unmerged sum first: until it reaches the expected totals, rows are still missing.
        if (!totals(clickHouse, "demand_per_minute", false).reaches(expected)) {
            return false;
        }
        for (String table : DEMAND_TABLES) {
            Totals held = totals(clickHouse, table, true);
            if (!held.reaches(expected)) {
                return false;
            }
            if (!held.equals(expected)) {
                throw new IllegalStateException(table + " holds units " + held + " but the events sum to " + expected);
            }
        }
        return true;
    }

    private static Totals totals(Connection clickHouse, String table, boolean merged) throws SQLException {
        String sql = "SELECT sum(units_ordered), sum(units_cancelled), sum(units_shipped), sum(units_returned) FROM "
                + table + (merged ? " FINAL" : ""); // table names are this class's constants
        try (Statement query = clickHouse.createStatement(); ResultSet rs = query.executeQuery(sql)) {
            rs.next();
            return new Totals(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
        }
    }

    private static long count(Connection clickHouse, String table) throws SQLException {
        try (Statement query = clickHouse.createStatement(); ResultSet rs = query.executeQuery("SELECT count() FROM " + table + " FINAL")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The server's counts of rows inserted and of insert queries since it started. */
    private static long[] insertCounters(Connection clickHouse) throws SQLException {
        long[] counters = new long[2];
        try (Statement query = clickHouse.createStatement(); ResultSet rs = query.executeQuery(
                "SELECT event, value FROM system.events WHERE event IN ('InsertedRows', 'InsertQuery')")) {
            while (rs.next()) {
                counters[rs.getString(1).equals("InsertedRows") ? 0 : 1] = rs.getLong(2);
            }
        }
        return counters;
    }

    // ---------------------------------------------------------------- lag

    /**
     * Orders at a steady rate, stamped with the current time, into a fresh job. For every minute that
     * closed while orders kept coming, each of its rows' lag is the time from the minute's end until the
     * row landed in ClickHouse. Returns p50 and p99 in milliseconds.
     */
    private double[] lag(AnalyticsConfig config, Workload workload) throws Exception {
        int rate = env.getInt("BENCH_LAG_RATE", 2_000);
        int seconds = env.getInt("BENCH_LAG_SECONDS", 200);
        long outOfOrderness = config.job().outOfOrderness().toMillis();
        String topic = config.topics().orders().name();
        Map<Long, Long> unitsOrderedPerMinute = new TreeMap<>();
        try (Connection clickHouse = config.clickHouse().open();
             AnalyticsService.Embedded embedded = start(config);
             KafkaProducer<String, Object> producer = producer(config)) {
            embedded.cluster().awaitTasksRunning(embedded.job(), TIMEOUT);
            long total = (long) rate * seconds;
            long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
            log("lag: %,d order events at %,d/s with the current time, timed from each minute's end to ClickHouse", total, rate);
            long startNanos = System.nanoTime();
            long firstMillis = System.currentTimeMillis();
            for (long i = 0; i < total; ) {
                Workload.Keyed next = workload.next();
                if (!(next.event() instanceof OrderEvent order)) {
                    continue;
                }
                Benchmarks.waitUntil(startNanos + i * intervalNanos);
                Instant now = Instant.now();
                order.setEventTime(now);
                // A retry is an order placed before, sent again: the job counts it once, at its first sending.
                if (order.getPayload() instanceof OrderPlaced placed && !next.retry()) {
                    unitsOrderedPerMinute.merge(minuteOf(now.toEpochMilli()),
                            placed.getLines().stream().mapToLong(OrderLine::getQuantity).sum(), Long::sum);
                }
                producer.send(new ProducerRecord<>(topic, next.key(), order));
                i++;
            }
            producer.flush();
            long lastMillis = System.currentTimeMillis();
            // Whole minutes whose end the watermark passed while orders still came at the steady rate.
            long from = minuteOf(firstMillis) + 60_000;
            long to = minuteOf(lastMillis - outOfOrderness - 2_000);
            if (to <= from) {
                throw new IllegalStateException("No whole minute closed during the lag run: raise BENCH_LAG_SECONDS above " + seconds);
            }
            Map<Long, Long> expected = new TreeMap<>(unitsOrderedPerMinute);
            expected.keySet().removeIf(minute -> minute < from || minute >= to);
            awaitMinutes(clickHouse, expected);
            long[] lags = rowLags(clickHouse, from, to);
            log("lag: %,d rows of %d minutes, from the minute's end to ClickHouse: p50 %.0f ms, p99 %.0f ms, max %,d ms "
                    + "(the watermark waits %,d ms of it for out-of-order events)",
                    lags.length, expected.size(), percentile(lags, 0.50), percentile(lags, 0.99), lags[lags.length - 1], outOfOrderness);
            return new double[] {percentile(lags, 0.50), percentile(lags, 0.99)};
        }
    }

    private static long minuteOf(long epochMillis) {
        return epochMillis - Math.floorMod(epochMillis, 60_000L);
    }

    private static void awaitMinutes(Connection clickHouse, Map<Long, Long> expected) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        String sql = "SELECT toUnixTimestamp(minute) * 1000, sum(units_ordered) FROM demand_per_minute FINAL "
                + "WHERE minute >= fromUnixTimestamp(?) AND minute < fromUnixTimestamp(?) GROUP BY minute";
        while (true) {
            Map<Long, Long> held = new TreeMap<>();
            try (PreparedStatement query = clickHouse.prepareStatement(sql)) {
                query.setLong(1, expected.keySet().stream().min(Long::compare).orElseThrow() / 1000);
                query.setLong(2, expected.keySet().stream().max(Long::compare).orElseThrow() / 1000 + 60);
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        held.put(rs.getLong(1), rs.getLong(2));
                    }
                }
            }
            if (held.equals(expected)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("ClickHouse holds units ordered per minute " + held + ", expected " + expected);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1_000));
        }
    }

    /** Each row's lag (first landing minus its minute's end), sorted. */
    private static long[] rowLags(Connection clickHouse, long from, long to) throws SQLException {
        String sql = "SELECT toUnixTimestamp64Milli(min(inserted_at)) - (toUnixTimestamp(minute) + 60) * 1000 AS lag "
                + "FROM demand_per_minute WHERE minute >= fromUnixTimestamp(?) AND minute < fromUnixTimestamp(?) "
                + "GROUP BY minute, sku, channel, location_id, currency ORDER BY lag";
        List<Long> lags = new ArrayList<>();
        try (PreparedStatement query = clickHouse.prepareStatement(sql)) {
            query.setLong(1, from / 1000);
            query.setLong(2, to / 1000);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    lags.add(rs.getLong(1));
                }
            }
        }
        return lags.stream().mapToLong(Long::longValue).toArray();
    }

    // ---------------------------------------------------------------- helpers

    private interface Step {
        void run() throws Exception;
    }

    private static void quietly(String what, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            log("could not %s: %s", what, e.getMessage());
        }
    }
}
