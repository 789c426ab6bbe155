package dev.omnistock.dashboard.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.omnistock.config.Config;
import dev.omnistock.dashboard.DashboardService;
import dev.omnistock.testsupport.ChildJvm;
import dev.omnistock.testsupport.FreePorts;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

/**
 * The dashboard in a real browser, over the whole product on the real stack: the inventory service,
 * the ingestion API and the analytics job from their jars, the dashboard in this JVM. Orders go in
 * through the ingestion API; the pages must show what they did.
 */
@ExtendWith(RealStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {

    private static final Path REPO = Path.of("..");
    private static final String SKU = "SKU-BROWSER-1";
    private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(60);
    private static final String KEYS = "WEB:web-b,WAREHOUSE:wms-b";

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<ChildJvm> services = new java.util.ArrayList<>();
    private DashboardService.Running dashboard;
    private ChromeDriver browser;
    private String ingestionUrl;
    private String inventoryUrl;
    private String clickHouseUrl;
    private String base;

    @BeforeAll
    void startTheProduct(RealStack stack, TestNamespace ns) throws Exception {
        Path work = Path.of("target", "browser-it", ns.topicPrefix()).toAbsolutePath();
        Map<String, String> shared = Map.of("KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers(),
                "SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl(), "OMNISTOCK_TOPIC_PREFIX", ns.topicPrefix(),
                "OMNISTOCK_TOPIC_PARTITIONS", "2");
        List<Integer> ports = FreePorts.take(2);

        Map<String, String> inventory = new HashMap<>(shared);
        inventory.put("INVENTORY_APPLICATION_ID", ns.topic("inventory"));
        inventory.put("INVENTORY_STATE_DIR", work.resolve("inventory-state").toString());
        inventory.put("INVENTORY_HTTP_PORT", ports.get(0).toString());
        Map<String, String> ingestion = new HashMap<>(shared);
        ingestion.put("INGESTION_HTTP_PORT", ports.get(1).toString());
        ingestion.put("INGESTION_API_KEYS", KEYS);
        Map<String, String> analytics = new HashMap<>(shared);
        analytics.put("CLICKHOUSE_URL", ns.clickHouseJdbcUrl());
        analytics.put("CLICKHOUSE_SINK_MAX_BATCH_DELAY_MS", "200");
        analytics.put("ANALYTICS_GROUP_ID", ns.topic("analytics"));
        analytics.put("ANALYTICS_PARALLELISM", "1");
        analytics.put("ANALYTICS_CHECKPOINT_DIR", work.resolve("checkpoints").toString());
        analytics.put("ANALYTICS_TMP_DIR", work.resolve("flink-tmp").toString());
        analytics.put("ANALYTICS_OUT_OF_ORDERNESS_MS", "1000");
        analytics.put("ANALYTICS_IDLENESS_MS", "2000");
        Path logs = work.resolve("logs");
        services.add(new ChildJvm("inventory", REPO.resolve("stream-jobs/inventory/target/inventory-service.jar"), inventory, logs, "-Xmx512m"));
        services.add(new ChildJvm("ingestion", REPO.resolve("ingestion/target/ingestion-service.jar"), ingestion, logs, "-Xmx256m"));
        services.add(new ChildJvm("analytics", REPO.resolve("stream-jobs/analytics/target/analytics-job.jar"), analytics, logs, "-Xmx768m"));
        for (ChildJvm service : services) {
            service.start();
        }
        inventoryUrl = "http://127.0.0.1:" + ports.get(0);
        ingestionUrl = "http://127.0.0.1:" + ports.get(1);
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250)).until(() ->
                ChildJvm.answers200(inventoryUrl + "/health/ready") && ChildJvm.answers200(ingestionUrl + "/health/live"));

        clickHouseUrl = ns.clickHouseJdbcUrl();
        // As infra/run starts it: no keys, so open on loopback.
        dashboard = DashboardService.start(Config.of(Map.of("CLICKHOUSE_URL", clickHouseUrl,
                "DASHBOARD_HTTP_PORT", "0", "DASHBOARD_INVENTORY_URL", inventoryUrl)));
        base = "http://127.0.0.1:" + dashboard.port();
        browser = Browser.start(work.resolve("chromium-profile"));
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));

        post("/v1/stock/counts", "wms-b", "{\"sku\":\"" + SKU + "\",\"locationId\":\"DC-1\",\"onHand\":8}");
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (dashboard != null) {
            dashboard.close();
        }
        for (ChildJvm service : services) {
            service.stop();
        }
    }

    @Test
    @Order(1)
    void aSkuPageFollowsTheLiveFeedWithoutReloading() throws Exception {
        browser.get(base + "/sku.html?sku=" + SKU);
        await().atMost(PAGE_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() ->
                text("feed-status").equals("live") && networkAvailable().equals("8"));
        browser.executeScript("window.sameLoad = true");

        post("/v1/orders", "web-b", order("O-BROWSER-1", 2));

        await().atMost(PAGE_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> networkAvailable().equals("6"));
        assertThat(browser.executeScript("return window.sameLoad === true")).as("updated by the feed, not a reload").isEqualTo(true);
        Browser.screenshot(browser, "sku-page");
    }

    @Test
    @Order(2)
    void aSkuDrivenBelowItsThresholdShowsItsAlert() throws Exception {
        post("/v1/orders", "web-b", order("O-BROWSER-2", 2)); // 4 left, below the default threshold of 5
        browser.get(base + "/alerts.html?sku=" + SKU);
        await().atMost(PAGE_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() ->
                tableText("all-alerts").lines().anyMatch(row -> row.contains("LOW_STOCK") && row.contains(SKU)));
        Browser.screenshot(browser, "alerts");
    }

    @Test
    @Order(3)
    void theOverviewChartDrawsTheOrdersUnits() throws Exception {
        browser.get(base + "/");
        // The orders' minute lands once it has ended and the orders stopped (at most idleness + out-of-orderness later).
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> unitsDrawn("chart-units", "WEB") == 4);
        assertThat(unitsDrawn("chart-orders", "WEB")).as("orders drawn").isEqualTo(2);
        assertThat(text("units-total")).isEqualTo("4");
        await().atMost(PAGE_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> tableText("top-sellers").startsWith(SKU));
        assertThat(text("freshness")).doesNotContain("no data");
        Browser.screenshot(browser, "overview");
    }

    @Test
    @Order(4)
    void aSkuCanBeOpenedFromTheKeyboard() {
        browser.get(base + "/");
        WebElement search = browser.findElement(By.id("sku-search"));
        // Tab from the page's start reaches the links and then the search box.
        new Actions(browser).sendKeys(Keys.TAB, Keys.TAB, Keys.TAB).perform();
        assertThat(browser.switchTo().activeElement()).isEqualTo(search);
        new Actions(browser).sendKeys(SKU, Keys.ENTER).perform();
        await().atMost(PAGE_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> text("sku-name").equals(SKU));
    }

    @Test
    @Order(5)
    void withKeysAPersonLogsInOnceAndComesBackToThePageAskedFor() throws Exception {
        try (DashboardService.Running guarded = DashboardService.start(Config.of(Map.of("CLICKHOUSE_URL", clickHouseUrl,
                "DASHBOARD_HTTP_PORT", "0", "DASHBOARD_INVENTORY_URL", inventoryUrl, "DASHBOARD_API_KEYS", "browser-person-key")))) {
            String page = "http://127.0.0.1:" + guarded.port() + "/sku.html?sku=" + SKU;
            browser.get(page);
            await().atMost(PAGE_TIMEOUT).until(() -> browser.getCurrentUrl().contains("/login.html?next="));

            browser.findElement(By.id("key")).sendKeys("not-a-key", Keys.ENTER);
            await().atMost(PAGE_TIMEOUT).until(() -> text("login-status").contains("not a key"));
            browser.findElement(By.id("key")).clear();
            browser.findElement(By.id("key")).sendKeys("browser-person-key", Keys.ENTER);

            await().atMost(PAGE_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> browser.getCurrentUrl().equals(page)
                    && text("sku-name").equals(SKU) && text("feed-status").equals("live"));
            assertThat(browser.executeScript("return document.cookie")).as("the session cookie is out of scripts' reach").isEqualTo("");
            Browser.screenshot(browser, "logged-in");
        }
    }

    @Test
    @Order(6)
    void afterLoginAHostileNextStaysOnTheDashboard() throws Exception {
        try (DashboardService.Running guarded = DashboardService.start(Config.of(Map.of("CLICKHOUSE_URL", clickHouseUrl,
                "DASHBOARD_HTTP_PORT", "0", "DASHBOARD_INVENTORY_URL", inventoryUrl, "DASHBOARD_API_KEYS", "browser-person-key")))) {
            String own = "http://127.0.0.1:" + guarded.port();
            // %09 is a tab: it passed a "starts with one slash" check, and the browser's URL parser drops it (//evil.example).
            for (String next : List.of("/%09/evil.example", "/%0A/evil.example", "https://evil.example/", "//evil.example", "/%5Cevil.example",
                    "javascript:alert(1)")) {
                browser.get(own + "/login.html?next=" + next);
                browser.findElement(By.id("key")).sendKeys("browser-person-key", Keys.ENTER);
                await().atMost(PAGE_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> !browser.getCurrentUrl().contains("/login.html"));
                assertThat(browser.getCurrentUrl()).as(next).startsWith(own + "/").doesNotContain("evil.example");
            }
            browser.get(own + "/login.html?next=" + java.net.URLEncoder.encode("/alerts.html?sku=" + SKU, java.nio.charset.StandardCharsets.UTF_8));
            browser.findElement(By.id("key")).sendKeys("browser-person-key", Keys.ENTER);
            await().atMost(PAGE_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> browser.getCurrentUrl().equals(own + "/alerts.html?sku=" + SKU));
        }
    }

    /** The sum of the values a chart drew for one series, from the chart's own data. */
    private long unitsDrawn(String chart, String series) {
        Object drawn = browser.executeScript("""
                const u = Dashboard.charts[arguments[0]];
                if (!u) return -1;
                const i = u.series.findIndex(s => s.label === arguments[1]);
                return i < 1 ? -1 : u.data[i].reduce((a, b) => a + b, 0);""", chart, series);
        return ((Number) drawn).longValue();
    }

    /** The "available" cell of the all-locations row, read in one go (the feed redraws the table). */
    private String networkAvailable() {
        return (String) browser.executeScript("""
                const row = document.querySelector('#availability tbody tr');
                return row && row.cells.length >= 7 ? row.cells[6].textContent.trim() : '';""");
    }

    private String tableText(String tbodyId) {
        return (String) browser.executeScript("return document.getElementById(arguments[0]).innerText", tbodyId);
    }

    private String text(String id) {
        return ((String) browser.executeScript("return document.getElementById(arguments[0]).textContent", id)).trim();
    }

    private static String order(String orderId, int quantity) {
        return "{\"orderId\":\"" + orderId + "\",\"currency\":\"EUR\",\"lines\":[{\"lineId\":\"1\",\"sku\":\"" + SKU
                + "\",\"quantity\":" + quantity + ",\"unitPrice\":9.50}]}";
    }

    private void post(String path, String key, String json) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(ingestionUrl + path)).header("X-Api-Key", key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(202);
    }
}
