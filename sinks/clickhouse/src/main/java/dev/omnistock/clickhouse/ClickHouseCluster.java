package dev.omnistock.clickhouse;

import java.io.Serializable;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Whether ClickHouse is one server or a cluster of shards, and how the schema reaches its servers.
 *
 * @param name       the cluster's name in the servers' {@code remote_servers}; empty for one server
 * @param replicated each shard a set of replicas (Replicated tables, DDL {@code ON CLUSTER}; needs ClickHouse
 *                   Keeper); otherwise one server per shard, each given the schema through {@code shardUrls}
 * @param shardUrls  JDBC URLs of every shard's server, same database as CLICKHOUSE_URL (not replicated only)
 */
public record ClickHouseCluster(String name, boolean replicated, List<String> shardUrls) implements Serializable {

    public static final ClickHouseCluster NONE = new ClickHouseCluster("", false, List.of());
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public ClickHouseCluster {
        shardUrls = List.copyOf(shardUrls);
        if (!name.isEmpty() && !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(ClickHouseConnection.CLUSTER + " must be a plain name, not '" + name + "'");
        }
        if (!name.isEmpty() && !replicated && shardUrls.isEmpty()) {
            throw new IllegalArgumentException(ClickHouseConnection.CLUSTER + " is set without " + ClickHouseConnection.REPLICATED
                    + ": " + ClickHouseConnection.SHARD_URLS + " must list every shard's server, which each get the schema");
        }
        if (name.isEmpty() && (replicated || !shardUrls.isEmpty())) {
            throw new IllegalArgumentException(ClickHouseConnection.REPLICATED + " and " + ClickHouseConnection.SHARD_URLS
                    + " need " + ClickHouseConnection.CLUSTER);
        }
    }

    public boolean clustered() {
        return !name.isEmpty();
    }
}
