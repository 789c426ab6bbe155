package dev.omnistock.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnistock.clickhouse.sink.ClickHouseSink;
import dev.omnistock.clickhouse.sink.ClickHouseTable;
import dev.omnistock.clickhouse.sink.SinkSettings;
import dev.omnistock.testsupport.ClickHouseShards;
import dev.omnistock.testsupport.InfraScripts;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two real ClickHouse servers as two shards of one cluster: the cluster migrations on each, the sink writing through
 * the Distributed tables (each row to the shard of its identity), and totals read through them exact, FINAL included,
 * whichever server is asked. The Replicated variant of the DDL is held to the server's parser.
 */
class ClickHouseShardsIT {

    private static List<String> shardUrls;
    private static ClickHouseConnection cluster;

    /** One minute of one SKU as the job writes it: a replay writes the same identity again, a correction a higher version. */
    public record Minute(Instant minute, String sku, long units, long cancelled, BigDecimal revenue, long version) implements Serializable {
    }

    private static final ClickHouseTable<Minute> DEMAND_PER_MINUTE = new ClickHouseTable<>("demand_per_minute",
            List.of("minute", "sku", "channel", "location_id", "currency", "units_ordered", "orders", "revenue", "units_cancelled",
                    "units_shipped", "units_returned", "version"),
            (row, insert) -> {
                insert.setTimestamp(1, Timestamp.from(row.minute()));
                insert.setString(2, row.sku());
                insert.setString(3, "WEB");
                insert.setString(4, "DC-1");
                insert.setString(5, "EUR");
                insert.setLong(6, row.units());
                insert.setLong(7, 1);
                insert.setBigDecimal(8, row.revenue());
                insert.setLong(9, row.cancelled());
                insert.setLong(10, 0);
                insert.setLong(11, 0);
                insert.setLong(12, row.version());
            });

    @BeforeAll
    static void migrate() throws Exception {
        String database = "shards_" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
        shardUrls = ClickHouseShards.shared().jdbcUrls(database);
        cluster = new ClickHouseConnection(shardUrls.get(0), "default", null, 30_000,
                new ClickHouseCluster(ClickHouseShards.CLUSTER, false, shardUrls));
        assertThat(Migrations.apply(cluster)).containsExactly("C001__sharded_tables.sql");
        assertThat(Migrations.apply(cluster)).as("applied once").isEmpty();
    }

    @Test
    void everyShardHasTheLocalTablesAndTheDistributedTablesUnderTheNamesTheQueriesRead() throws Exception {
        for (String shard : shardUrls) {
            try (Connection connection = ClickHouseConnection.at(shard).open(); Statement sql = connection.createStatement()) {
                assertThat(rows(sql, "SELECT name, engine FROM system.tables WHERE database = currentDatabase() "
                        + "AND name IN ('demand_per_minute', 'demand_per_minute_local', 'demand_per_hour') ORDER BY name"))
                        .containsExactly("demand_per_hour View", "demand_per_minute Distributed", "demand_per_minute_local ReplacingMergeTree");
            }
        }
    }

    @Test
    void serversThatDoNotKnowTheClusterAsConfiguredAreRefusedBeforeAnyDdl() {
        ClickHouseConnection oneListed = new ClickHouseConnection(shardUrls.get(0), "default", null, 30_000,
                new ClickHouseCluster(ClickHouseShards.CLUSTER, false, List.of(shardUrls.get(0))));
        assertThatThrownBy(() -> Migrations.apply(oneListed)).hasMessageContaining("knows 2 shards").hasMessageContaining("lists 1 servers");
        ClickHouseConnection otherCluster = new ClickHouseConnection(shardUrls.get(0), "default", null, 30_000,
                new ClickHouseCluster("elsewhere", false, shardUrls));
        assertThatThrownBy(() -> Migrations.apply(otherCluster)).hasMessageContaining("knows 0 shards of cluster 'elsewhere'");
    }

    @Test
    void aListNamingTheSameServerTwiceIsRefused() {
        ClickHouseConnection twice = new ClickHouseConnection(shardUrls.get(0), "default", null, 30_000,
                new ClickHouseCluster(ClickHouseShards.CLUSTER, false, List.of(shardUrls.get(0), shardUrls.get(0))));
        assertThatThrownBy(() -> Migrations.apply(twice)).hasMessageContaining("names shard 1 of cluster '" + ClickHouseShards.CLUSTER + "' twice");
    }

    /**
     * The shard count is recorded on every server at the first apply; a cluster found with another count (here: the record
     * says 3) is refused, since a row's later copies would hash to another shard than its first.
     */
    @Test
    void theShardCountIsRecordedAndAnotherCountIsRefused() throws Exception {
        String database = "resharded_" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
        List<String> urls = ClickHouseShards.shared().jdbcUrls(database);
        ClickHouseConnection clustered = new ClickHouseConnection(urls.get(0), "default", null, 30_000,
                new ClickHouseCluster(ClickHouseShards.CLUSTER, false, urls));
        Migrations.apply(clustered);
        for (String url : urls) {
            try (Connection connection = ClickHouseConnection.at(url).open(); Statement sql = connection.createStatement()) {
                assertThat(rows(sql, "SELECT checksum FROM schema_migrations FINAL WHERE name = 'shard count'")).as(url).containsExactly("2");
            }
        }
        assertThat(Migrations.apply(clustered)).as("the same count passes").isEmpty();
        try (Connection connection = ClickHouseConnection.at(urls.get(1)).open(); Statement sql = connection.createStatement()) {
            sql.execute("INSERT INTO schema_migrations (name, checksum) VALUES ('shard count', '3')");
        }
        assertThatThrownBy(() -> Migrations.apply(clustered)).hasMessageContaining("sharded over 3 shards")
                .hasMessageContaining("now has 2").hasMessageContaining("new database");
    }

    /** A database with one server's tables is not made a cluster's (its demand_per_minute would stay unsharded), nor the reverse. */
    @Test
    void oneServersTablesAndAClustersAreNeverMixedInADatabase() throws Exception {
        String database = "mixed_" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
        List<String> urls = ClickHouseShards.shared().jdbcUrls(database);
        try (Connection connection = ClickHouseConnection.at(urls.get(0)).open()) {
            Migrations.apply(connection);
        }
        ClickHouseConnection clustered = new ClickHouseConnection(urls.get(0), "default", null, 30_000,
                new ClickHouseCluster(ClickHouseShards.CLUSTER, false, urls));
        assertThatThrownBy(() -> Migrations.apply(clustered)).hasMessageContaining("holds the tables of one server (V001__demand_per_minute.sql");
        try (Connection connection = ClickHouseConnection.at(shardUrls.get(1)).open()) {
            assertThatThrownBy(() -> Migrations.apply(connection)).hasMessageContaining("holds the tables of a cluster (C001__sharded_tables.sql)");
        }
    }

    /**
     * Minutes written by the sink through the Distributed table: every identity first with a stale version, then
     * corrected, then replayed, in small batches (many parts). Each SKU's rows are on one shard, both shards hold
     * some, and the SQL pack's top sellers (over the hours view, FINAL) give the corrected figures once, asked of
     * either server.
     */
    @Test
    void theSinkWritesEachRowToItsShardAndTotalsReadThroughTheDistributedTablesAreExact() throws Exception {
        Instant start = Instant.parse("2026-11-23T10:00:00Z");
        List<Minute> written = new ArrayList<>();
        Map<String, long[]> truth = new TreeMap<>(); // sku -> net units, revenue in cents
        Random random = new Random(34);
        for (int s = 0; s < 60; s++) {
            String sku = String.format("SKU-%05d", s);
            for (int m = 0; m < 3; m++) {
                Instant minute = start.plus(m * 7L, ChronoUnit.MINUTES);
                long units = 1 + random.nextInt(9);
                long cancelled = random.nextInt((int) units);
                long cents = units * 1999;
                written.add(new Minute(minute, sku, units + 100, 0, BigDecimal.ONE, 1)); // stale: replaced by the correction
                Minute corrected = new Minute(minute, sku, units, cancelled, BigDecimal.valueOf(cents, 2), 2);
                written.add(corrected);
                written.add(corrected); // a replay after a restart
                truth.computeIfAbsent(sku, k -> new long[2])[0] += units - cancelled;
                truth.get(sku)[1] += cents;
            }
        }
        // In any order: the highest version of an identity is the one FINAL keeps.
        Collections.shuffle(written, new Random(7));

        StreamExecutionEnvironment env = flink();
        env.fromData(written).sinkTo(new ClickHouseSink<>(cluster, DEMAND_PER_MINUTE,
                new SinkSettings(25, Duration.ofMillis(100), Duration.ofMillis(50), Duration.ofMillis(500), Duration.ofSeconds(60))));
        env.execute("sink-through-distributed");

        List<String> expected = truth.entrySet().stream()
                .sorted((a, b) -> a.getValue()[0] != b.getValue()[0] ? Long.compare(b.getValue()[0], a.getValue()[0]) : a.getKey().compareTo(b.getKey()))
                .map(e -> e.getKey() + " EUR " + e.getValue()[0] + " " + BigDecimal.valueOf(e.getValue()[1], 2).setScale(4)).toList();
        for (String entry : shardUrls) {
            try (Connection connection = ClickHouseConnection.at(entry).open()) {
                assertThat(pack(connection, "top_sellers", start.toEpochMilli(), start.plus(1, ChronoUnit.DAYS).toEpochMilli(), 1000))
                        .as("top sellers asked of %s", entry).containsExactlyElementsOf(expected);
                try (Statement sql = connection.createStatement()) {
                    assertThat(rows(sql, "SELECT count() FROM demand_per_minute FINAL")).containsExactly(Integer.toString(60 * 3));
                    assertThat(rows(sql, "SELECT count() FROM (SELECT sku FROM demand_per_minute GROUP BY sku HAVING uniqExact(_shard_num) > 1)"))
                            .as("SKUs with rows on both shards").containsExactly("0");
                    assertThat(rows(sql, "SELECT uniqExact(_shard_num) FROM demand_per_minute")).as("shards holding rows").containsExactly("2");
                }
            }
        }
    }

    /**
     * Stock-out periods written open, then closed (the closed row replaces the open one on its shard), and orders'
     * status changes replayed: stock-out minutes and the fulfilment funnel (whose placements are gathered from every
     * shard, GLOBAL IN) count each once.
     */
    @Test
    void queriesThatNeedFinalCountEveryRowOnceAcrossShards() throws Exception {
        Instant start = Instant.parse("2026-11-24T08:00:00Z");
        Map<String, Long> stockoutMinutes = new TreeMap<>();
        try (Connection connection = cluster.openForInserts()) {
            for (int closed = 0; closed <= 1; closed++) {
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO stockout_periods (sku, location_id, started_at, ended_at, closed) VALUES (?, ?, ?, ?, ?)")) {
                    for (int s = 0; s < 40; s++) {
                        String sku = String.format("SKU-%05d", s);
                        long minutes = 5 + s % 7;
                        insert.setString(1, sku);
                        insert.setString(2, "DC-1");
                        insert.setTimestamp(3, Timestamp.from(start.plus(s, ChronoUnit.MINUTES)));
                        if (closed == 0) {
                            insert.setNull(4, Types.TIMESTAMP);
                        } else {
                            insert.setTimestamp(4, Timestamp.from(start.plus(s + minutes, ChronoUnit.MINUTES)));
                        }
                        insert.setInt(5, closed);
                        insert.addBatch();
                        stockoutMinutes.put(sku, minutes);
                    }
                    insert.executeBatch();
                }
            }
            // The columns in the table's order: the driver's RowBinary writer takes them so.
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO order_status_changes (order_id, sequence, changed_at, "
                    + "channel, previous_status, status, caused_by, units_ordered, units_reserved, units_refused, units_shipped, units_cancelled, "
                    + "units_returned, units_expired, placement) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (int copy = 0; copy < 2; copy++) { // the second a replay
                    for (int o = 0; o < 50; o++) {
                        Instant placed = start.plus(o, ChronoUnit.MINUTES);
                        change(insert, o, 1, placed, "", "PLACED", 0, 0);
                        if (o % 5 != 0) { // every fifth refused
                            change(insert, o, 2, placed.plusSeconds(4), "PLACED", "RESERVED", 1, 0);
                        }
                        if (o % 5 != 0 && o % 2 == 0) {
                            change(insert, o, 3, placed.plusSeconds(64), "RESERVED", "SHIPPED", 0, 1);
                        }
                    }
                    insert.executeBatch();
                }
            }
        }
        long from = start.toEpochMilli();
        long to = start.plus(6, ChronoUnit.HOURS).toEpochMilli();
        for (String entry : shardUrls) {
            try (Connection connection = ClickHouseConnection.at(entry).open()) {
                List<String> expected = stockoutMinutes.entrySet().stream()
                        .sorted((a, b) -> a.getValue().equals(b.getValue()) ? a.getKey().compareTo(b.getKey()) : Long.compare(b.getValue(), a.getValue()))
                        .map(e -> e.getKey() + " DC-1 " + e.getValue().doubleValue()).toList();
                assertThat(pack(connection, "stockout_minutes", from, to)).as("stock-out minutes asked of %s", entry)
                        .containsExactlyElementsOf(expected);
                // 50 placed, 40 accepted (4 s after placement), 20 shipped (a minute after acceptance).
                assertThat(pack(connection, "fulfilment_funnel", from, to)).containsExactly("50 40 20 4 60");
            }
        }
    }

    private static void change(PreparedStatement insert, int order, int sequence, Instant at, String previous, String status, int reserved,
                               int shipped) throws Exception {
        insert.setString(1, "O-" + order);
        insert.setLong(2, sequence);
        insert.setTimestamp(3, Timestamp.from(at));
        insert.setString(4, "WEB");
        insert.setString(5, previous);
        insert.setString(6, status);
        insert.setString(7, "e");
        int[] units = {1, reserved, 0, shipped, 0, 0, 0}; // ordered, reserved, refused, shipped, cancelled, returned, expired
        for (int i = 0; i < units.length; i++) {
            insert.setInt(8 + i, units[i]);
        }
        insert.setString(15, "p" + order);
        insert.addBatch();
    }

    /** Every query of the SQL pack runs on the cluster. */
    @Test
    void everyQueryOfTheSqlPackRunsThroughTheDistributedTables() throws Exception {
        Path queries = InfraScripts.repoRoot().resolve("infra/clickhouse/queries");
        List<String> names = Files.readAllLines(queries.resolve("QUERIES")).stream().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(names).isNotEmpty();
        try (Connection connection = cluster.open()) {
            for (String name : names) {
                String sql = Files.readString(queries.resolve(name + ".sql"));
                String params = sql.lines().filter(l -> l.startsWith("-- params:")).findFirst().orElseThrow().substring("-- params:".length()).trim();
                List<Object> values = new ArrayList<>();
                for (String param : params.isEmpty() ? new String[0] : params.split("\\s+")) {
                    values.add(switch (param.split(":")[1]) {
                        case "time" -> param.startsWith("from") ? Instant.parse("2026-11-01T00:00:00Z").toEpochMilli()
                                : Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();
                        case "int" -> 10L;
                        default -> "";
                    });
                }
                assertThat(pack(connection, name, values.toArray())).as(name).isNotNull();
            }
        }
    }

    /**
     * The Replicated DDL (ReplicatedReplacingMergeTree under {shard}/{replica} paths, every statement ON CLUSTER) cannot run
     * here: it needs ClickHouse Keeper. The server's parser takes each statement, and the statements are those of the
     * sharded schema with only the engine and ON CLUSTER changed.
     */
    @Test
    void theReplicatedDdlParsesOnTheServer() throws Exception {
        ClickHouseCluster replicated = new ClickHouseCluster(ClickHouseShards.CLUSTER, true, List.of());
        ClickHouseCluster sharded = new ClickHouseCluster(ClickHouseShards.CLUSTER, false, shardUrls);
        try (Connection connection = ClickHouseConnection.at(shardUrls.get(0)).open()) {
            List<String> statements = Migrations.clusterStatements(connection, replicated);
            List<String> shardedStatements = Migrations.clusterStatements(connection, sharded);
            assertThat(statements).hasSameSizeAs(shardedStatements).hasSizeGreaterThan(10);
            int replicatedTables = 0;
            for (int i = 0; i < statements.size(); i++) {
                String formatted;
                try (PreparedStatement format = connection.prepareStatement("SELECT formatQuery(?)")) {
                    format.setString(1, statements.get(i));
                    try (ResultSet rs = format.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        formatted = rs.getString(1);
                    }
                }
                assertThat(formatted).as(statements.get(i)).contains("ON CLUSTER " + ClickHouseShards.CLUSTER);
                if (formatted.contains("ReplicatedReplacingMergeTree(")) {
                    replicatedTables++;
                }
                if (i > 0) { // the tracking table is one replica set over the whole cluster; each table's replicas are its shard's
                    assertThat(statements.get(i).replace("ON CLUSTER " + ClickHouseShards.CLUSTER, "")
                            .replace("ReplicatedReplacingMergeTree(" + ClusterDdl.REPLICA_PATH + ")", "ReplacingMergeTree()")
                            .replace("ReplicatedReplacingMergeTree(" + ClusterDdl.REPLICA_PATH + ", ", "ReplacingMergeTree("))
                            .as("the sharded statement, but for ON CLUSTER and the engine").isEqualTo(shardedStatements.get(i));
                }
            }
            assertThat(replicatedTables).as("the tracking table and the seven tables").isEqualTo(8);
        }
    }

    /** Runs a query of the SQL pack with its parameters; each row as its columns joined by spaces. */
    private static List<String> pack(Connection connection, String name, Object... parameters) throws Exception {
        String sql = Files.readString(InfraScripts.repoRoot().resolve("infra/clickhouse/queries/" + name + ".sql"));
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setObject(i + 1, parameters[i]);
            }
            return rows(query.executeQuery());
        }
    }

    private static List<String> rows(Statement sql, String query) throws Exception {
        return rows(sql.executeQuery(query));
    }

    private static List<String> rows(ResultSet rs) throws Exception {
        List<String> rows = new ArrayList<>();
        try (rs) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder(String.valueOf(rs.getString(1)));
                for (int column = 2; column <= columns; column++) {
                    row.append(' ').append(rs.getString(column));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    private static StreamExecutionEnvironment flink() {
        Configuration conf = new Configuration();
        conf.set(CoreOptions.TMP_DIRS, Path.of("target", "flink-tmp").toAbsolutePath().toString());
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_PORT, "0");
        return StreamExecutionEnvironment.createLocalEnvironment(2, conf);
    }
}
