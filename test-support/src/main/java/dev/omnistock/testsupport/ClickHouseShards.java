package dev.omnistock.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two ClickHouse servers as the two shards of one cluster ({@code STACK_CLICKHOUSE_SHARDS=2 infra/local-stack up}),
 * on free ports with their data under the module's target directory: started once per test JVM on first use, stopped
 * when the JVM ends (by infra/local-stack's watchdog even after a kill -9).
 */
public final class ClickHouseShards {

    private static final Logger log = LoggerFactory.getLogger(ClickHouseShards.class);
    /** The cluster's name in both servers' remote_servers. */
    public static final String CLUSTER = "omnistock_test";
    private static ClickHouseShards shared;
    private static final Pattern DATABASE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final List<URI> httpUrls;

    private ClickHouseShards(List<URI> httpUrls) {
        this.httpUrls = List.copyOf(httpUrls);
    }

    /** The JVM's two shards, started on first call. */
    public static synchronized ClickHouseShards shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    private static ClickHouseShards start() {
        Path dir = Path.of(System.getProperty("omnistock.test.shards.dir", "target/clickhouse-shards")).toAbsolutePath();
        List<Integer> ports = FreePorts.take(4);
        Map<String, String> env = new HashMap<>();
        env.put("STACK_DIR", dir.toString());
        env.put("STACK_OWNER_PID", Long.toString(ProcessHandle.current().pid()));
        env.put("STACK_CLICKHOUSE_SHARDS", "2");
        env.put("STACK_CLICKHOUSE_CLUSTER", CLUSTER);
        env.put("STACK_CLICKHOUSE_HTTP_PORT", ports.get(0).toString());
        env.put("STACK_CLICKHOUSE_TCP_PORT", ports.get(1).toString());
        env.put("STACK_CLICKHOUSE2_HTTP_PORT", ports.get(2).toString());
        env.put("STACK_CLICKHOUSE2_TCP_PORT", ports.get(3).toString());
        long started = System.nanoTime();
        InfraScripts.run(env, dir.resolve("local-stack-up.out"), Duration.ofMinutes(15), "infra/local-stack", "up", "clickhouse", "clickhouse2");
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
                InfraScripts.run(env, dir.resolve("local-stack-down.out"), Duration.ofMinutes(1), "infra/local-stack", "down")));
        ClickHouseShards shards = new ClickHouseShards(List.of(URI.create("http://127.0.0.1:" + ports.get(0)),
                URI.create("http://127.0.0.1:" + ports.get(2))));
        log.info("Started two ClickHouse shards in {} ms: {}", Duration.ofNanos(System.nanoTime() - started).toMillis(), shards.httpUrls);
        return shards;
    }

    /** JDBC URLs of the database on each shard's server, shard 1 first; the database is made on both. */
    public List<String> jdbcUrls(String database) {
        plainDatabase(database);
        return IntStream.range(0, httpUrls.size()).mapToObj(shard -> {
            execute(shard, "CREATE DATABASE IF NOT EXISTS " + database);
            return "jdbc:clickhouse:" + httpUrls.get(shard) + "/" + database;
        }).toList();
    }

    /** The name goes into CREATE DATABASE as it is, so it must need no quoting. */
    static String plainDatabase(String database) {
        if (!DATABASE.matcher(database).matches()) {
            throw new IllegalArgumentException("Not a plain database name: " + database);
        }
        return database;
    }

    private void execute(int shard, String statement) {
        HttpRequest request = HttpRequest.newBuilder(httpUrls.get(shard).resolve("/")).POST(HttpRequest.BodyPublishers.ofString(statement)).build();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("ClickHouse shard " + (shard + 1) + " refused '" + statement + "': " + response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("ClickHouse shard " + (shard + 1) + " at " + httpUrls.get(shard) + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
