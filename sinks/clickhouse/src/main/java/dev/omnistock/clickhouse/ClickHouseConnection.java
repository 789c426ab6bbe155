package dev.omnistock.clickhouse;

import dev.omnistock.config.Config;
import dev.omnistock.config.Settings;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Where ClickHouse is and who we are there.
 *
 * @param jdbcUrl  e.g. jdbc:clickhouse:http://127.0.0.1:8123/default (https:// for TLS)
 * @param password null for none; from the environment only. Serializable, because a Flink sink carries it.
 * @param socketTimeoutMs how long a request may wait for ClickHouse's answer before it fails (and is retried)
 * @param cluster  one server ({@link ClickHouseCluster#NONE}) or the shards behind {@code jdbcUrl}
 */
public record ClickHouseConnection(String jdbcUrl, String user, String password, int socketTimeoutMs, ClickHouseCluster cluster)
        implements Serializable {

    private static final Driver DRIVER = new com.clickhouse.jdbc.Driver();

    public static final String URL = "CLICKHOUSE_URL";
    public static final String USER = "CLICKHOUSE_USER";
    public static final String PASSWORD = "CLICKHOUSE_PASSWORD";
    public static final String SOCKET_TIMEOUT_MS = "CLICKHOUSE_SOCKET_TIMEOUT_MS";
    public static final String CLUSTER = "CLICKHOUSE_CLUSTER";
    public static final String SHARD_URLS = "CLICKHOUSE_SHARD_URLS";
    public static final String REPLICATED = "CLICKHOUSE_REPLICATED";
    /** The driver's own default waits for ever: a server that stops answering would hang its caller for good. */
    private static final int DEFAULT_SOCKET_TIMEOUT_MS = 30_000;

    /** The settings read here; the password is a secret, read from the environment only. */
    public static final ConfigDef SETTINGS = new ConfigDef()
            .define(URL, Type.STRING, "jdbc:clickhouse:http://127.0.0.1:8123/default", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "JDBC URL")
            .define(USER, Type.STRING, "default", new ConfigDef.NonEmptyString(), Importance.HIGH, "user")
            .define(SOCKET_TIMEOUT_MS, Type.INT, DEFAULT_SOCKET_TIMEOUT_MS, ConfigDef.Range.atLeast(1_000), Importance.LOW,
                    "how long a request waits for ClickHouse's answer before it fails and is retried")
            .define(CLUSTER, Type.STRING, "", Importance.MEDIUM, "cluster name in remote_servers; empty for one server")
            .define(SHARD_URLS, Type.LIST, "", Importance.MEDIUM, "JDBC URLs of every shard's server")
            .define(REPLICATED, Type.BOOLEAN, false, Importance.LOW, "Replicated tables and ON CLUSTER DDL (needs Keeper)");

    public ClickHouseConnection(String jdbcUrl, String user, String password, int socketTimeoutMs) {
        this(jdbcUrl, user, password, socketTimeoutMs, ClickHouseCluster.NONE);
    }

    public static ClickHouseConnection from(Config config) {
        Settings settings = Settings.read(SETTINGS, config);
        return new ClickHouseConnection(settings.string(URL), settings.string(USER), config.secret(PASSWORD).orElse(null),
                settings.integer(SOCKET_TIMEOUT_MS),
                new ClickHouseCluster(settings.optional(CLUSTER).orElse(""), settings.bool(REPLICATED), settings.list(SHARD_URLS)));
    }

    /** One shard's server, with the same user, password and timeout. */
    public ClickHouseConnection shard(String shardJdbcUrl) {
        return new ClickHouseConnection(shardJdbcUrl, user, password, socketTimeoutMs, ClickHouseCluster.NONE);
    }

    @Override
    public String toString() {
        return "ClickHouseConnection[" + jdbcUrl + " as " + user + (cluster.clustered() ? ", cluster " + cluster.name() : "") + "]";
    }

    public static ClickHouseConnection at(String jdbcUrl) {
        return new ClickHouseConnection(jdbcUrl, "default", null, DEFAULT_SOCKET_TIMEOUT_MS);
    }

    public Connection open() throws SQLException {
        return open(new Properties());
    }

    /**
     * A connection whose simple batched INSERTs ({@code INSERT INTO t (c1, c2) VALUES (?, ?)}) travel as
     * RowBinary instead of SQL text: the driver no longer formats each value as text, nor the server
     * parses it back (measured together with other changes in docs/benchmarks.md). The driver calls this
     * writer beta; the sink's integration tests cover every column type we write.
     */
    public Connection openForInserts() throws SQLException {
        Properties props = new Properties();
        props.setProperty("beta.row_binary_for_simple_insert", "true");
        if (cluster.clustered()) {
            // An INSERT into a Distributed table returns once every shard has its rows, not when they are queued on
            // the server taking it: the sink's checkpoint counts them written (chDB's server never sends a queue).
            props.setProperty("clickhouse_setting_distributed_foreground_insert", "1");
        }
        return open(props);
    }

    private Connection open(Properties props) throws SQLException {
        props.setProperty("user", user);
        props.setProperty("password", password == null ? "" : password);
        props.setProperty("socket_timeout", Integer.toString(socketTimeoutMs));
        try {
            // The driver directly, not DriverManager: its service lookup depends on class loaders, which
            // differ inside Flink's user-code class loader.
            Connection connection = DRIVER.connect(jdbcUrl, props);
            if (connection == null) {
                throw new SQLException("Not a ClickHouse JDBC URL: " + jdbcUrl);
            }
            return connection;
        } catch (SQLException e) {
            throw new SQLException("Could not connect to ClickHouse at " + jdbcUrl + " as " + user
                    + " (check CLICKHOUSE_URL, CLICKHOUSE_USER, CLICKHOUSE_PASSWORD): " + e.getMessage(), e.getSQLState(), e);
        }
    }
}
