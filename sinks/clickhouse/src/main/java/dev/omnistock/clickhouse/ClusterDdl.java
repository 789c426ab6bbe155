package dev.omnistock.clickhouse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the cluster migrations (infra/clickhouse/migrations/cluster) into statements for one cluster:
 * {@code ${cluster}} and {@code ${database}} become literals; on shards of one server each,
 * {@code ${on_cluster}} is dropped and {@code ${ReplacingMergeTree(args)}} is that engine; replicated,
 * every statement runs {@code ON CLUSTER} and the engine is ReplicatedReplacingMergeTree with its replicas
 * under a Keeper path per shard, database and table (the servers' {shard} and {replica} macros).
 */
final class ClusterDdl {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    private static final Pattern REPLACING = Pattern.compile("ReplacingMergeTree\\(([A-Za-z0-9_, ]*)\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    static final String REPLICA_PATH = "'/clickhouse/tables/{shard}/{database}/{table}', '{replica}'";

    private final ClickHouseCluster cluster;
    private final String database;

    ClusterDdl(ClickHouseCluster cluster, String database) {
        if (!cluster.clustered()) {
            throw new IllegalArgumentException("No cluster named");
        }
        if (!IDENTIFIER.matcher(database).matches()) {
            throw new IllegalArgumentException("Not a plain database name: " + database);
        }
        this.cluster = cluster;
        this.database = database;
    }

    String render(String template) {
        Matcher placeholder = PLACEHOLDER.matcher(template);
        StringBuilder sql = new StringBuilder();
        while (placeholder.find()) {
            placeholder.appendReplacement(sql, Matcher.quoteReplacement(fill(placeholder.group(1))));
        }
        placeholder.appendTail(sql);
        return sql.toString();
    }

    private String fill(String name) {
        switch (name) {
            case "on_cluster":
                return onCluster();
            case "cluster":
                return "'" + cluster.name() + "'";
            case "database":
                return "'" + database + "'";
            default:
                Matcher replacing = REPLACING.matcher(name);
                if (replacing.matches()) {
                    return replacingMergeTree(replacing.group(1).trim());
                }
                throw new IllegalStateException("Unknown placeholder ${" + name + "} in a cluster migration");
        }
    }

    /** The table keeping which migrations were applied, on every server: replicated, one replica set over the whole cluster. */
    String trackingTable() {
        String engine = cluster.replicated()
                ? "ReplicatedReplacingMergeTree('/clickhouse/tables/all/{database}/schema_migrations', '{replica}')"
                : "ReplacingMergeTree";
        return "CREATE TABLE IF NOT EXISTS schema_migrations " + onCluster() + " (\n"
                + "    name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))\n"
                + "ENGINE = " + engine + " ORDER BY name";
    }

    private String onCluster() {
        return cluster.replicated() ? "ON CLUSTER " + cluster.name() : "";
    }

    private String replacingMergeTree(String args) {
        if (!cluster.replicated()) {
            return "ReplacingMergeTree(" + args + ")";
        }
        return "ReplicatedReplacingMergeTree(" + REPLICA_PATH + (args.isEmpty() ? "" : ", " + args) + ")";
    }
}
