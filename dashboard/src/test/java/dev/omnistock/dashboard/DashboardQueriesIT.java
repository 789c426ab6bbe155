package dev.omnistock.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnistock.clickhouse.ClickHouseConnection;
import dev.omnistock.clickhouse.Migrations;
import dev.omnistock.config.Config;
import dev.omnistock.dashboard.queries.NamedQuery;
import dev.omnistock.dashboard.queries.Parameter;
import dev.omnistock.dashboard.queries.QueryPack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every query of the SQL pack through the dashboard's API, on the real ClickHouse with the analytics tables. */
@ExtendWith(RealStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardQueriesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(5, ChronoUnit.MINUTES);
    private DashboardService.Running dashboard;
    private String base;

    @BeforeAll
    void start(TestNamespace ns) throws Exception {
        try (Connection connection = ClickHouseConnection.at(ns.clickHouseJdbcUrl()).open(); Statement sql = connection.createStatement()) {
            Migrations.apply(connection);
            String at = "toDateTime('" + minute.toString().replace("T", " ").replace("Z", "") + "', 'UTC')";
            sql.execute("INSERT INTO demand_per_minute (minute, sku, channel, location_id, currency, units_ordered, orders, revenue,"
                    + " units_cancelled, units_shipped, units_returned, version) VALUES"
                    + " (" + at + ", 'SKU-1', 'WEB', 'DC-1', 'EUR', 3, 2, 30.5, 0, 0, 0, 1),"
                    + " (" + at + ", 'SKU-1', 'STORE_POS', 'STORE-1', 'EUR', 1, 1, 9.5, 0, 0, 0, 1)");
            sql.execute("INSERT INTO inventory_alerts (event_time, alert_id, sku, location_id, type, available, threshold) VALUES"
                    + " (now64(3), generateUUIDv4(), 'SKU-1', 'DC-1', 'LOW_STOCK', 2, 5),"
                    + " (now64(3), generateUUIDv4(), 'SKU-2', 'DC-1', 'OUT_OF_STOCK', 0, 5)");
            sql.execute("INSERT INTO stockout_periods (sku, location_id, started_at, ended_at, closed) VALUES ('SKU-2', 'DC-1', now64(3), NULL, 0)");
        }
        dashboard = DashboardService.start(Config.of(Map.of("CLICKHOUSE_URL", ns.clickHouseJdbcUrl(), "DASHBOARD_HTTP_PORT", "0")));
        base = "http://127.0.0.1:" + dashboard.port();
    }

    @AfterAll
    void stop() {
        if (dashboard != null) {
            dashboard.close();
        }
    }

    @Test
    void everyQueryOfThePackRunsOnClickHouse() throws Exception {
        for (NamedQuery query : QueryPack.load().all()) {
            Map<String, String> params = new LinkedHashMap<>();
            for (Parameter p : query.parameters()) {
                params.put(p.name(), switch (p.name()) {
                    case "from" -> Long.toString(minute.minus(1, ChronoUnit.HOURS).toEpochMilli());
                    case "to" -> Long.toString(minute.plus(1, ChronoUnit.HOURS).toEpochMilli());
                    case "limit" -> "10";
                    case "sku" -> "SKU-1";
                    default -> "";
                });
            }
            HttpResponse<String> answer = get("/api/queries/" + query.name() + "?" + form(params));
            assertThat(answer.statusCode()).as(query.name() + ": " + answer.body()).isEqualTo(200);
            assertThat(JSON.readTree(answer.body()).get("columns").size()).as(query.name()).isPositive();
        }
    }

    @Test
    void theFiguresAreTheTablesFigures() throws Exception {
        JsonNode perMinute = JSON.readTree(get("/api/queries/units_per_minute_by_channel?from=" + minute.toEpochMilli()
                + "&to=" + minute.plusSeconds(60).toEpochMilli()).body());
        assertThat(perMinute.get("rows").toString()).isEqualTo("[[" + minute.toEpochMilli() + ",\"STORE_POS\",1,1],["
                + minute.toEpochMilli() + ",\"WEB\",3,2]]");
        JsonNode alerts = JSON.readTree(get("/api/queries/recent_alerts?kind=OUT_OF_STOCK&limit=10").body());
        assertThat(alerts.get("rows")).hasSize(1);
        assertThat(alerts.get("rows").get(0).get(2).asText()).isEqualTo("SKU-2");
        JsonNode outOfStock = JSON.readTree(get("/api/queries/out_of_stock_now?limit=5").body());
        assertThat(outOfStock.get("rows").get(0).get(0).asText()).isEqualTo("SKU-2");
    }

    @Test
    void badInputIsAProblemNamingTheParameterNeverClickHouseText() throws Exception {
        HttpResponse<String> unknown = get("/api/queries/drop_everything");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));

        HttpResponse<String> wrongType = get("/api/queries/top_sellers?from=yesterday&to=1&limit=5");
        assertThat(wrongType.statusCode()).isEqualTo(400);
        JsonNode problem = JSON.readTree(wrongType.body());
        assertThat(problem.get("errors").get(0).get("field").asText()).isEqualTo("from");

        HttpResponse<String> huge = get("/api/queries/units_per_minute_by_channel?from=0&to=" + Instant.now().toEpochMilli());
        assertThat(huge.statusCode()).isEqualTo(400);
        assertThat(huge.body()).contains("at most 48 hours");

        HttpResponse<String> injection = get("/api/queries/recent_alerts?limit=5&sku=" + URLEncoder.encode("x' OR 1=1 --", StandardCharsets.UTF_8));
        assertThat(injection.statusCode()).isEqualTo(400);
    }

    @Test
    void clickHouseWithoutTheTablesIsA503WithoutItsErrorText(TestNamespace ns) throws Exception {
        String missing = ns.clickHouseJdbcUrl().replaceAll("/[^/]+$", "/no_such_database_" + System.nanoTime());
        try (DashboardService.Running other = DashboardService.start(Config.of(Map.of("CLICKHOUSE_URL", missing, "DASHBOARD_HTTP_PORT", "0")))) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + other.port()
                    + "/api/queries/data_freshness")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(503);
            assertThat(answer.body()).contains("error id").doesNotContain("DB::Exception").doesNotContain("Code:");
        }
    }

    @Test
    void thePagesAndTheChartCodeAreServedFromTheJar() throws Exception {
        String overview = get("/").body();
        assertThat(overview).contains("Units ordered per minute");
        assertThat(get("/sku.html").statusCode()).isEqualTo(200);
        assertThat(get("/alerts.html").statusCode()).isEqualTo(200);
        java.util.regex.Matcher script = java.util.regex.Pattern.compile("src=\"(/webjars/uplot/[^\"]+)\"").matcher(overview);
        assertThat(script.find()).as("the page loads uPlot from its WebJar").isTrue();
        assertThat(get(script.group(1)).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String form(Map<String, String> params) {
        return params.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
