package dev.omnistock.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.omnistock.clickhouse.ClickHouseConnection;
import dev.omnistock.clickhouse.Migrations;
import dev.omnistock.dashboard.queries.NamedQuery;
import dev.omnistock.dashboard.queries.Parameter;
import dev.omnistock.dashboard.queries.QueryPack;
import dev.omnistock.testsupport.InfraScripts;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Grafana dashboard (infra/grafana) for teams that run Grafana: Grafana cannot be installed here, so
 * its files are checked for what Grafana needs, each panel's SQL is held to the SQL pack's query, and
 * every panel's SQL runs on the real ClickHouse with Grafana's variables filled in.
 */
@ExtendWith(RealStackExtension.class)
class GrafanaDashboardIT {

    private static final Path GRAFANA = InfraScripts.repoRoot().resolve("infra/grafana");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern PACK = Pattern.compile("SQL pack: ([a-z_]+)");

    private final JsonNode dashboard = read(JSON, GRAFANA.resolve("dashboards/omnistock.json"));
    private final JsonNode datasource = read(YAML, GRAFANA.resolve("provisioning/datasources/omnistock-clickhouse.yaml"))
            .get("datasources").get(0);

    @Test
    void theProvisioningFilesNameThePluginAndTheDashboardsPath() {
        assertThat(datasource.get("type").asText()).isEqualTo("grafana-clickhouse-datasource");
        assertThat(datasource.get("jsonData").get("protocol").asText()).isEqualTo("http");
        assertThat(datasource.get("secureJsonData").get("password").asText()).as("the password comes from the environment")
                .isEqualTo("${CLICKHOUSE_PASSWORD}");
        JsonNode provider = read(YAML, GRAFANA.resolve("provisioning/dashboards/omnistock.yaml")).get("providers").get(0);
        assertThat(provider.get("type").asText()).isEqualTo("file");
        assertThat(provider.get("options").get("path").asText()).isNotBlank();
    }

    @Test
    void everyPanelRunsAQueryOfThePackOnTheProvisionedDataSource() {
        assertThat(dashboard.get("uid").asText()).isNotBlank();
        assertThat(dashboard.get("panels")).isNotEmpty();
        Set<String> ids = new HashSet<>();
        Set<String> queries = new HashSet<>();
        QueryPack pack = QueryPack.load();
        for (JsonNode panel : dashboard.get("panels")) {
            String title = panel.get("title").asText();
            assertThat(ids.add(panel.get("id").asText())).as("panel ids are unique: %s", title).isTrue();
            assertThat(panel.get("gridPos").get("w").asInt()).as(title).isBetween(1, 24);
            assertThat(panel.get("type").asText()).as(title).isIn("timeseries", "table", "stat");
            JsonNode target = panel.get("targets").get(0);
            assertThat(target.get("datasource").get("uid").asText()).as(title).isEqualTo(datasource.get("uid").asText());
            assertThat(target.get("datasource").get("type").asText()).as(title).isEqualTo(datasource.get("type").asText());
            Matcher named = PACK.matcher(panel.get("description").asText());
            assertThat(named.find()).as("%s names its query of the SQL pack in its description", title).isTrue();
            NamedQuery query = pack.find(named.group(1)).orElseThrow();
            queries.add(query.name());
            assertThat(target.get("rawSql").asText()).as("%s runs %s with Grafana's variables", title, query.name())
                    .matches(asGrafana(query));
        }
        // The same panels as the dashboard's overview page.
        assertThat(queries).containsExactlyInAnyOrder("units_per_minute_by_channel", "revenue_by_currency", "data_freshness",
                "top_sellers", "out_of_stock_now", "predicted_stockouts", "recent_alerts");
        Set<String> variables = new HashSet<>();
        dashboard.get("templating").get("list").forEach(v -> variables.add(v.get("name").asText()));
        assertThat(variables).containsExactlyInAnyOrder("kind", "sku", "location");
    }

    @Test
    void everyPanelsSqlRunsOnClickHouse(TestNamespace ns) throws Exception {
        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(2, ChronoUnit.MINUTES);
        try (Connection connection = ClickHouseConnection.at(ns.clickHouseJdbcUrl()).open(); Statement sql = connection.createStatement()) {
            Migrations.apply(connection);
            sql.execute("INSERT INTO demand_per_minute (minute, sku, channel, location_id, currency, units_ordered, orders, revenue,"
                    + " units_cancelled, units_shipped, units_returned, version) VALUES (toDateTime(" + minute.getEpochSecond()
                    + ", 'UTC'), 'SKU-G', 'WEB', 'DC-1', 'EUR', 5, 2, 50, 0, 0, 0, 1)");
            long from = minute.minus(1, ChronoUnit.HOURS).toEpochMilli();
            long to = minute.plus(1, ChronoUnit.HOURS).toEpochMilli();
            for (JsonNode panel : dashboard.get("panels")) {
                String grafanaSql = panel.get("targets").get(0).get("rawSql").asText();
                String filled = grafanaSql.replace("$__from", Long.toString(from)).replace("$__to", Long.toString(to))
                        .replaceAll("\\$\\{[a-z]+}", "");
                List<List<String>> rows = new ArrayList<>();
                try (ResultSet rs = sql.executeQuery(filled)) {
                    while (rs.next()) {
                        List<String> row = new ArrayList<>();
                        for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
                            row.add(rs.getString(c));
                        }
                        rows.add(row);
                    }
                }
                if (panel.get("title").asText().startsWith("Units ordered")) {
                    assertThat(rows).extracting(r -> r.get(1) + "=" + r.get(2)).containsExactly("WEB=5");
                }
            }
        }
    }

    /** The pack's SQL as a Grafana panel holds it: times from the dashboard's range, text from its variables, limits fixed. */
    private static String asGrafana(NamedQuery query) {
        StringBuilder pattern = new StringBuilder();
        int placeholder = 0;
        for (String part : query.sql().stripTrailing().split("\\?", -1)) {
            if (placeholder > 0) {
                Parameter p = query.placeholders().get(placeholder - 1);
                pattern.append(switch (p.kind()) {
                    case TIME -> Pattern.quote("from".equals(p.name()) ? "$__from" : "$__to");
                    case INT -> "[1-9][0-9]*";
                    case TEXT -> Pattern.quote("'${" + p.name() + "}'");
                });
            }
            pattern.append(Pattern.quote(part));
            placeholder++;
        }
        return pattern.toString();
    }

    private static JsonNode read(ObjectMapper mapper, Path file) {
        try {
            return mapper.readTree(file.toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
