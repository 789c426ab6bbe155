package dev.omnistock.clickhouse.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.omnistock.clickhouse.ClickHouseConnection;
import dev.omnistock.testsupport.FreePorts;
import dev.omnistock.testsupport.TcpProxy;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import java.io.Serializable;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.apache.flink.configuration.CheckpointingOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The sink inside a real (in-process) Flink job, writing to the real ClickHouse. */
@ExtendWith(RealStackExtension.class)
class ClickHouseSinkIT {

    public record Probe(int id, String payload) implements Serializable {
    }

    /** Each test writes its own table. */
    private static ClickHouseTable<Probe> probeTable(String name) {
        return new ClickHouseTable<>(name, List.of("id", "payload"), (row, insert) -> {
            insert.setInt(1, row.id());
            insert.setString(2, row.payload());
        });
    }

    private static SinkSettings settings(int batchSize, Duration giveUpAfter) {
        return new SinkSettings(batchSize, Duration.ofMillis(200), Duration.ofMillis(50), Duration.ofMillis(500), giveUpAfter);
    }

    private static StreamExecutionEnvironment flink() {
        return flink(new Configuration());
    }

    private static StreamExecutionEnvironment flink(Configuration conf) {
        conf.set(CoreOptions.TMP_DIRS, Path.of("target", "flink-tmp").toAbsolutePath().toString());
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_PORT, "0");
        return StreamExecutionEnvironment.createLocalEnvironment(2, conf);
    }

    private static List<Probe> probes(int count) {
        return IntStream.range(0, count).mapToObj(i -> new Probe(i, "row " + i + "\n\nwith a blank line")).toList();
    }

    @Test
    void everyRowArrivesInBatches(TestNamespace ns) throws Exception {
        ClickHouseConnection clickHouse = ClickHouseConnection.at(ns.clickHouseJdbcUrl());
        execute(clickHouse, "CREATE TABLE batch_probe (id UInt32, payload String) ENGINE = MergeTree ORDER BY id");

        StreamExecutionEnvironment env = flink();
        env.fromData(probes(10_000)).sinkTo(new ClickHouseSink<>(clickHouse, probeTable("batch_probe"), settings(1_000, Duration.ofSeconds(30))));
        env.execute("sink-batches");

        assertThat(queryLong(clickHouse, "SELECT count() FROM batch_probe")).isEqualTo(10_000);
        assertThat(queryLong(clickHouse, "SELECT uniqExact(id) FROM batch_probe")).isEqualTo(10_000);
        assertThat(queryLong(clickHouse, "SELECT countIf(payload LIKE 'row %\\n\\nwith a blank line') FROM batch_probe")).isEqualTo(10_000);
    }

    @Test
    void whileClickHouseRefusesTheSinkRetriesAndLosesNothing(TestNamespace ns) throws Exception {
        ClickHouseConnection clickHouse = ClickHouseConnection.at(ns.clickHouseJdbcUrl());
        StreamExecutionEnvironment env = flink();
        env.fromData(probes(2_000)).sinkTo(new ClickHouseSink<>(clickHouse, probeTable("late_table_probe"), settings(500, Duration.ofMinutes(2))));

        // The table does not exist yet: every INSERT fails until it is created, a few retries later.
        CompletableFuture<Void> job = CompletableFuture.runAsync(() -> {
            try {
                env.execute("sink-retries");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // It keeps retrying (and cannot finish) for as long as the table is missing.
        await().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(5)).until(() -> !job.isDone());
        execute(clickHouse, "CREATE TABLE late_table_probe (id UInt32, payload String) ENGINE = MergeTree ORDER BY id");
        job.get(60, TimeUnit.SECONDS);

        assertThat(queryLong(clickHouse, "SELECT count() FROM late_table_probe")).isEqualTo(2_000);
        assertThat(queryLong(clickHouse, "SELECT uniqExact(id) FROM late_table_probe")).isEqualTo(2_000);
    }

    @Test
    void aClickHouseThatStaysDownFailsTheJobWithAClearMessage() throws Exception {
        int closedPort = FreePorts.one();
        ClickHouseConnection nowhere = ClickHouseConnection.at("jdbc:clickhouse:http://127.0.0.1:" + closedPort + "/default");
        StreamExecutionEnvironment env = flink();
        env.fromData(probes(10)).sinkTo(new ClickHouseSink<>(nowhere, probeTable("never_written"), settings(5, Duration.ofSeconds(1))));

        Throwable failure = catchThrowable(() -> env.execute("sink-gives-up"));
        assertThat(failure).isNotNull();
        assertThat(chain(failure)).anySatisfy(m -> assertThat(m).contains("refused").contains("restarts from its last checkpoint"));
    }

    @Test
    void whileItWaitsToRetryTheTaskStillCheckpointsAndCancelsPromptly(TestNamespace ns, @TempDir Path checkpoints) throws Exception {
        URI http = URI.create(ns.clickHouseJdbcUrl().substring("jdbc:clickhouse:".length()));
        try (TcpProxy clickHouseDown = new TcpProxy(http.getHost(), http.getPort())) {
            clickHouseDown.refuse();
            ClickHouseConnection unreachable = ClickHouseConnection.at("jdbc:clickhouse:http://127.0.0.1:" + clickHouseDown.port() + http.getPath());
            // A first retry a minute away: the task must not sit that minute out.
            SinkSettings slowRetries = new SinkSettings(1_000, Duration.ofMillis(100), Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofMinutes(10));
            Configuration conf = new Configuration();
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
            StreamExecutionEnvironment env = flink(conf);
            env.setParallelism(1);
            env.enableCheckpointing(200);
            // About 100 rows a second: the buffer stays below the backpressure bound (a few batches) during the test.
            env.fromSequence(0, Long.MAX_VALUE).map(i -> {
                        Thread.sleep(10);
                        return new Probe((int) (i % 1000), "row");
                    }).returns(Probe.class)
                    .sinkTo(new ClickHouseSink<>(unreachable, probeTable("never_reached"), slowRetries));
            JobClient job = env.executeAsync("sink-waits");
            await().atMost(Duration.ofSeconds(30)).until(() -> clickHouseDown.refusedConnections() >= 1);

            // Checkpoints go on completing, the rows not yet written in them.
            long before = newestCheckpoint(checkpoints);
            await().atMost(Duration.ofSeconds(30)).until(() -> newestCheckpoint(checkpoints) >= before + 2);

            long cancelAt = System.nanoTime();
            job.cancel().get(30, TimeUnit.SECONDS);
            job.getJobExecutionResult().handle((result, failure) -> failure).get(30, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - cancelAt)).isLessThan(Duration.ofSeconds(10));
        }
    }

    /** The number of the newest completed checkpoint under the directory (Flink keeps only the newest), or 0. */
    private static long newestCheckpoint(Path directory) throws IOException {
        try (Stream<Path> files = Files.find(directory, 3, (path, attributes) -> path.getFileName().toString().equals("_metadata"))) {
            return files.map(path -> path.getParent().getFileName().toString())
                    .filter(name -> name.startsWith("chk-")).mapToLong(name -> Long.parseLong(name.substring(4))).max().orElse(0);
        }
    }

    private static List<String> chain(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.add(String.valueOf(t.getMessage()));
        }
        return messages;
    }

    private static void execute(ClickHouseConnection clickHouse, String sql) throws Exception {
        try (Connection connection = clickHouse.open(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long queryLong(ClickHouseConnection clickHouse, String sql) throws Exception {
        try (Connection connection = clickHouse.open(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }
}
