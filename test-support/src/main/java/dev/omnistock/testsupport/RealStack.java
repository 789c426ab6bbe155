package dev.omnistock.testsupport;

import java.net.URI;

/**
 * Where the real broker, schema registry and ClickHouse of this test JVM listen.
 *
 * @param kafkaBootstrapServers host:port of the Kafka broker
 * @param schemaRegistryUrl     the registry's Confluent-compatible API
 * @param clickHouseHttpUrl     ClickHouse's HTTP interface, e.g. http://127.0.0.1:8123
 */
public record RealStack(String kafkaBootstrapServers, String schemaRegistryUrl, URI clickHouseHttpUrl) {

    /** JDBC URL of one ClickHouse database. */
    public String clickHouseJdbcUrl(String database) {
        return "jdbc:clickhouse:" + clickHouseHttpUrl.toString().replaceAll("/+$", "") + "/" + database;
    }
}
