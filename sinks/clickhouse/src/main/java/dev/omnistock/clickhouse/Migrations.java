package dev.omnistock.clickhouse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned DDL files of infra/clickhouse/migrations (on the classpath under
 * clickhouse/migrations) in the order MIGRATIONS lists them, each once: applied versions and their
 * checksums are kept in schema_migrations, so running it at every start is safe. A migration
 * edited after it was applied is refused: add a new one instead. The one exception is a migration
 * whose MIGRATIONS line names the checksum of its released text ({@code revises <sha256>}): a
 * deployment that applied that text is let through, and a later migration brings it in step.
 *
 * <p>On a cluster ({@link ClickHouseCluster}) the migrations of clickhouse/migrations/cluster are applied
 * instead, rendered by {@link ClusterDdl}: to every shard's server, or once {@code ON CLUSTER} when replicated.
 */
public final class Migrations {

    private static final Logger log = LoggerFactory.getLogger(Migrations.class);
    private static final String ROOT = "/clickhouse/migrations/";
    private static final String CLUSTER_ROOT = ROOT + "cluster/";
    /**
     * The schema_migrations row (its checksum the count) of the shard count a cluster's tables were first made for: rows
     * go to the shard cityHash64(identity) % shards, so another count would send a row's later copies elsewhere.
     */
    private static final String SHARDS = "shard count";

    /**
     * Where a set of migrations lives, how its text becomes statements, the table recording what was applied, and
     * where the other set lives: a database holding that one's tables is refused (one server's tables are not
     * sharded ones, nor the other way round).
     */
    private record Layout(String root, UnaryOperator<String> render, String trackingTable, String otherRoot) {
    }

    private static final Layout ONE_SERVER = new Layout(ROOT, UnaryOperator.identity(), """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))
            ENGINE = ReplacingMergeTree ORDER BY name""", CLUSTER_ROOT);

    private Migrations() {
    }

    /**
     * The migrations for ClickHouse as configured: one server, every shard's server of a cluster, or a
     * replicated cluster through {@code clickHouse}'s server.
     *
     * @return the names of the migrations applied now, on any server (empty when all were applied before)
     */
    public static List<String> apply(ClickHouseConnection clickHouse) throws SQLException {
        ClickHouseCluster cluster = clickHouse.cluster();
        if (!cluster.clustered() || cluster.replicated()) {
            try (Connection connection = clickHouse.open()) {
                return cluster.clustered() ? applyCluster(connection, cluster) : apply(connection);
            }
        }
        checkShards(clickHouse, cluster);
        Set<String> applied = new LinkedHashSet<>();
        for (String shard : cluster.shardUrls()) {
            try (Connection connection = clickHouse.shard(shard).open()) {
                applied.addAll(applyCluster(connection, cluster));
            }
        }
        return List.copyOf(applied);
    }

    /** @return the names of the migrations applied now to this one server (empty when all were applied before) */
    public static List<String> apply(Connection connection) throws SQLException {
        List<Listed> listed = listed(ROOT);
        return apply(connection, listed.get(listed.size() - 1).name());
    }

    /** Applies the migrations up to {@code last} included: a test builds an older deployment's schema with it. */
    static List<String> apply(Connection connection, String last) throws SQLException {
        return apply(connection, ONE_SERVER, last);
    }

    private static List<String> applyCluster(Connection connection, ClickHouseCluster cluster) throws SQLException {
        ClusterDdl ddl = clusterDdl(connection, cluster);
        List<Listed> listed = listed(CLUSTER_ROOT);
        try (Statement create = connection.createStatement()) {
            create.execute(ddl.trackingTable());
        }
        int shards = shardCount(connection, cluster);
        String recorded = recordedShards(connection);
        if (recorded != null && !recorded.equals(Integer.toString(shards))) {
            throw new IllegalStateException("ClickHouse at " + connection.getMetaData().getURL() + " holds tables sharded over " + recorded
                    + " shards, but cluster '" + cluster.name() + "' now has " + shards + " (system.clusters): a row's later copies would go"
                    + " to another shard and be counted twice. Keep " + recorded + " shards, or reshard: make the tables in a new database"
                    + " on the new cluster and copy the rows over (INSERT INTO ... SELECT ... FROM remote(...))");
        }
        List<String> appliedNow = apply(connection, new Layout(CLUSTER_ROOT, ddl::render, ddl.trackingTable(), ROOT), listed.get(listed.size() - 1).name());
        if (recorded == null) {
            try (PreparedStatement record = connection.prepareStatement("INSERT INTO schema_migrations (name, checksum) VALUES (?, ?)")) {
                record.setString(1, SHARDS);
                record.setString(2, Integer.toString(shards));
                record.executeUpdate();
            }
        }
        return appliedNow;
    }

    /** The shard count the cluster's tables were made for, or null before the first apply. */
    private static String recordedShards(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT checksum FROM schema_migrations FINAL WHERE name = ?")) {
            query.setString(1, SHARDS);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static int shardCount(Connection connection, ClickHouseCluster cluster) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT uniqExact(shard_num) FROM system.clusters WHERE cluster = ?")) {
            query.setString(1, cluster.name());
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The cluster's migrations as they would run through this server, without running them: for a check by the server's parser. */
    static List<String> clusterStatements(Connection connection, ClickHouseCluster cluster) throws SQLException {
        ClusterDdl ddl = clusterDdl(connection, cluster);
        List<String> statements = new ArrayList<>(List.of(ddl.trackingTable()));
        for (Listed migration : listed(CLUSTER_ROOT)) {
            statements.addAll(statements(ddl.render(read(CLUSTER_ROOT, migration.name()))));
        }
        return statements;
    }

    private static ClusterDdl clusterDdl(Connection connection, ClickHouseCluster cluster) throws SQLException {
        try (Statement query = connection.createStatement(); ResultSet rs = query.executeQuery("SELECT currentDatabase()")) {
            rs.next();
            return new ClusterDdl(cluster, rs.getString(1));
        }
    }

    /**
     * Every listed server must know the cluster, with as many shards as there are servers listed, and each must be a
     * different shard: the same server listed twice would leave a shard without the schema.
     */
    private static void checkShards(ClickHouseConnection clickHouse, ClickHouseCluster cluster) throws SQLException {
        Map<Integer, String> byShard = new TreeMap<>();
        for (String url : cluster.shardUrls()) {
            try (Connection connection = clickHouse.shard(url).open()) {
                int shards = shardCount(connection, cluster);
                if (shards != cluster.shardUrls().size()) {
                    throw new IllegalStateException("ClickHouse at " + url + " knows " + shards + " shards of cluster '" + cluster.name()
                            + "' (remote_servers), but " + ClickHouseConnection.SHARD_URLS + " lists " + cluster.shardUrls().size() + " servers");
                }
                List<Integer> own = new ArrayList<>();
                try (PreparedStatement query = connection.prepareStatement("SELECT shard_num FROM system.clusters WHERE cluster = ? AND is_local")) {
                    query.setString(1, cluster.name());
                    try (ResultSet rs = query.executeQuery()) {
                        while (rs.next()) {
                            own.add(rs.getInt(1));
                        }
                    }
                }
                if (own.size() != 1) {
                    throw new IllegalStateException("ClickHouse at " + url + " is " + (own.isEmpty() ? "none" : "several") + " of the shards of cluster '"
                            + cluster.name() + "' (remote_servers: " + own + "): each server of " + ClickHouseConnection.SHARD_URLS + " must be one shard");
                }
                String before = byShard.put(own.get(0), url);
                if (before != null) {
                    throw new IllegalStateException(ClickHouseConnection.SHARD_URLS + " names shard " + own.get(0) + " of cluster '" + cluster.name()
                            + "' twice (" + before + ", " + url + "): list one server of each shard");
                }
            }
        }
        // N distinct shard numbers, each in 1..N, as many as the cluster has: every shard is listed.
        if (byShard.keySet().stream().anyMatch(shard -> shard < 1 || shard > byShard.size())) {
            throw new IllegalStateException(ClickHouseConnection.SHARD_URLS + " names shards " + byShard.keySet() + " of cluster '" + cluster.name()
                    + "', not 1 to " + byShard.size());
        }
    }

    private static List<String> apply(Connection connection, Layout layout, String last) throws SQLException {
        try (Statement ddl = connection.createStatement()) {
            ddl.execute(layout.trackingTable());
        }
        Map<String, String> applied = new HashMap<>();
        try (Statement query = connection.createStatement();
             ResultSet rs = query.executeQuery("SELECT name, checksum FROM schema_migrations FINAL")) {
            while (rs.next()) {
                applied.put(rs.getString(1), rs.getString(2));
            }
        }
        List<String> other = listed(layout.otherRoot()).stream().map(Listed::name).filter(applied::containsKey).toList();
        if (!other.isEmpty()) {
            throw new IllegalStateException("ClickHouse at " + connection.getMetaData().getURL() + " holds the tables of "
                    + (layout.otherRoot().equals(ROOT) ? "one server" : "a cluster") + " (" + String.join(", ", other) + "), but "
                    + ClickHouseConnection.CLUSTER + (layout.root().equals(ROOT) ? " is empty" : " is set")
                    + ": give the other layout an empty database and copy the rows over (INSERT INTO ... SELECT ... FROM remote(...))");
        }
        List<String> appliedNow = new ArrayList<>();
        List<Listed> listed = listed(layout.root());
        List<String> names = listed.stream().map(Listed::name).toList();
        if (!names.contains(last)) {
            throw new IllegalArgumentException(last + " is not listed in MIGRATIONS");
        }
        for (Listed migration : listed.subList(0, names.indexOf(last) + 1)) {
            String name = migration.name();
            String sql = read(layout.root(), name);
            String checksum = sha256(sql);
            String before = applied.get(name);
            if (before != null) {
                if (!before.equals(checksum) && !migration.revises().contains(before)) {
                    throw new IllegalStateException("Migration " + name + " changed after it was applied; "
                            + "restore it and add a new migration for the change");
                }
                continue;
            }
            try (Statement ddl = connection.createStatement()) {
                for (String statement : statements(layout.render().apply(sql))) {
                    ddl.execute(statement);
                }
            }
            try (PreparedStatement record = connection.prepareStatement("INSERT INTO schema_migrations (name, checksum) VALUES (?, ?)")) {
                record.setString(1, name);
                record.setString(2, checksum);
                record.executeUpdate();
            }
            log.info("Applied ClickHouse migration {}", name);
            appliedNow.add(name);
        }
        return appliedNow;
    }

    /** A line of MIGRATIONS: a file name, optionally followed by {@code revises} and the checksums of its released texts. */
    record Listed(String name, List<String> revises) {
    }

    static List<Listed> listed(String root) {
        List<Listed> listed = new ArrayList<>();
        for (String line : read(root, "MIGRATIONS").lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList()) {
            String[] words = line.split("\\s+");
            if (words.length > 1 && !"revises".equals(words[1])) {
                throw new IllegalStateException("MIGRATIONS: expected a file name, optionally followed by 'revises' and checksums, not '" + line + "'");
            }
            listed.add(new Listed(words[0], words.length > 1 ? List.of(words).subList(2, words.length) : List.of()));
        }
        return listed;
    }

    /** Statements end with ';' at the end of a line; comment lines are dropped. */
    static List<String> statements(String sql) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : sql.split("\n")) {
            if (line.trim().startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (line.trim().endsWith(";")) {
                String statement = current.toString().trim();
                statements.add(statement.substring(0, statement.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().trim());
        }
        return statements;
    }

    private static String read(String root, String name) {
        try (InputStream in = Migrations.class.getResourceAsStream(root + name)) {
            if (in == null) {
                throw new IllegalStateException("Migration " + name + " is listed in MIGRATIONS but not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
