package dev.omnistock.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnistock.config.Config;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterDdlTest {

    private static final String TEMPLATE = "CREATE TABLE t_local ${on_cluster} (v UInt64) ENGINE = ${ReplacingMergeTree(v)} ORDER BY v;\n"
            + "CREATE TABLE t ${on_cluster} AS t_local ENGINE = Distributed(${cluster}, ${database}, t_local, cityHash64(v));";

    @Test
    void onShardsOfOneServerEachTheTemplateIsPlainDdlForThatServer() {
        ClusterDdl ddl = new ClusterDdl(new ClickHouseCluster("sales", false, List.of("jdbc:clickhouse:http://a:8123/db")), "db");
        assertThat(ddl.render(TEMPLATE)).isEqualTo("CREATE TABLE t_local  (v UInt64) ENGINE = ReplacingMergeTree(v) ORDER BY v;\n"
                + "CREATE TABLE t  AS t_local ENGINE = Distributed('sales', 'db', t_local, cityHash64(v));");
        assertThat(ddl.render("ENGINE = ${ReplacingMergeTree()}")).isEqualTo("ENGINE = ReplacingMergeTree()");
    }

    @Test
    void replicatedEveryStatementRunsOnClusterAndTablesAreReplicatedPerShard() {
        ClusterDdl ddl = new ClusterDdl(new ClickHouseCluster("sales", true, List.of()), "db");
        assertThat(ddl.render(TEMPLATE)).isEqualTo("CREATE TABLE t_local ON CLUSTER sales (v UInt64) ENGINE = "
                + "ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}', v) ORDER BY v;\n"
                + "CREATE TABLE t ON CLUSTER sales AS t_local ENGINE = Distributed('sales', 'db', t_local, cityHash64(v));");
        assertThat(ddl.render("ENGINE = ${ReplacingMergeTree()}"))
                .isEqualTo("ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')");
        assertThat(ddl.trackingTable()).contains("ON CLUSTER sales")
                .contains("ReplicatedReplacingMergeTree('/clickhouse/tables/all/{database}/schema_migrations', '{replica}')");
    }

    @Test
    void anUnknownPlaceholderOrAnOddDatabaseNameIsRefused() {
        ClickHouseCluster cluster = new ClickHouseCluster("sales", true, List.of());
        assertThatThrownBy(() -> new ClusterDdl(cluster, "db").render("${shard_key}")).hasMessageContaining("${shard_key}");
        assertThatThrownBy(() -> new ClusterDdl(cluster, "db'; DROP")).hasMessageContaining("Not a plain database name");
    }

    @Test
    void aClusterOfUnreplicatedShardsNeedsEveryShardsServer() {
        assertThat(ClickHouseConnection.from(Config.of(Map.of())).cluster()).isEqualTo(ClickHouseCluster.NONE);
        assertThatThrownBy(() -> ClickHouseConnection.from(Config.of(Map.of(ClickHouseConnection.CLUSTER, "sales"))))
                .hasMessageContaining("CLICKHOUSE_SHARD_URLS");
        assertThatThrownBy(() -> ClickHouseConnection.from(Config.of(Map.of(ClickHouseConnection.REPLICATED, "true"))))
                .hasMessageContaining("need CLICKHOUSE_CLUSTER");
        assertThatThrownBy(() -> new ClickHouseCluster("sales; DROP", true, List.of())).hasMessageContaining("plain name");
        ClickHouseConnection sharded = ClickHouseConnection.from(Config.of(Map.of(ClickHouseConnection.CLUSTER, "sales",
                ClickHouseConnection.SHARD_URLS, "jdbc:clickhouse:http://a:8123/db, jdbc:clickhouse:http://b:8123/db")));
        assertThat(sharded.cluster().shardUrls()).containsExactly("jdbc:clickhouse:http://a:8123/db", "jdbc:clickhouse:http://b:8123/db");
        assertThat(sharded.toString()).contains("cluster sales");
    }
}
