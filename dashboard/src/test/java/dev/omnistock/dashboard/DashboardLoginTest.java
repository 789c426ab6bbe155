package dev.omnistock.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnistock.config.Config;
import dev.omnistock.testsupport.ExposureChecks;
import dev.omnistock.testsupport.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dashboard's HTTP side alone (no query runs): who gets in, and what web pages in the operator's browser cannot do. */
class DashboardLoginTest {

    private static final String KEY = "dashboard-test-key";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void withKeysThePagesAndTheApiNeedALogin() throws Exception {
        try (DashboardService.Running dashboard = start(Map.of("DASHBOARD_API_KEYS", KEY + ",another-key"))) {
            String base = "http://127.0.0.1:" + dashboard.port();
            for (String page : List.of("/", "/sku.html?sku=SKU-1", "/alerts.html", "/dashboard.js")) {
                HttpResponse<String> answer = get(base + page, Map.of());
                assertThat(answer.statusCode()).as(page).isEqualTo(303);
                assertThat(answer.headers().firstValue("Location")).as(page).hasValueSatisfying(to -> assertThat(to).startsWith("/login.html?next=%2F"));
            }
            for (String api : List.of("/api/queries", "/api/skus/SKU-1/availability", "/api/skus/SKU-1/feed")) {
                HttpResponse<String> answer = get(base + api, Map.of());
                assertThat(answer.statusCode()).as(api).isEqualTo(401);
                assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
            }
            assertThat(get(base + "/login.html", Map.of()).statusCode()).isEqualTo(200);
            assertThat(get(base + "/login.js", Map.of()).statusCode()).isEqualTo(200);
            assertThat(get(base + "/api/queries", Map.of("X-Api-Key", KEY)).statusCode()).as("a program's key").isEqualTo(200);
            assertThat(get(base + "/api/queries", Map.of("Authorization", "Bearer " + KEY)).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aPersonLogsInOnceWithAKeyAndTheSessionCookieStandsForIt() throws Exception {
        try (DashboardService.Running dashboard = start(Map.of("DASHBOARD_API_KEYS", KEY))) {
            String base = "http://127.0.0.1:" + dashboard.port();
            assertThat(login(base, "not-the-key").statusCode()).isEqualTo(401);
            assertThat(login(base, "").statusCode()).isEqualTo(401);
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/login")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .as("not JSON").isEqualTo(400);

            HttpResponse<String> loggedIn = login(base, KEY);
            assertThat(loggedIn.statusCode()).as(loggedIn.body()).isEqualTo(204);
            String setCookie = loggedIn.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(setCookie).startsWith("omnistock_session=").contains("HttpOnly").contains("SameSite=Strict").contains("Path=/")
                    .doesNotContain(KEY);
            String cookie = setCookie.substring(0, setCookie.indexOf(';'));
            assertThat(get(base + "/", Map.of("Cookie", cookie)).statusCode()).isEqualTo(200);
            assertThat(get(base + "/api/queries", Map.of("Cookie", cookie)).statusCode()).isEqualTo(200);
            assertThat(get(base + "/api/queries", Map.of("Cookie", "omnistock_session=forged")).statusCode()).isEqualTo(401);

            HttpResponse<String> loggedOut = http.send(HttpRequest.newBuilder(URI.create(base + "/logout")).header("Cookie", cookie)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(loggedOut.statusCode()).isEqualTo(204);
            assertThat(get(base + "/api/queries", Map.of("Cookie", cookie)).statusCode()).as("after logging out").isEqualTo(401);
        }
    }

    @Test
    void tenWrongKeysFromAnAddressAndItMustWait() throws Exception {
        try (DashboardService.Running dashboard = start(Map.of("DASHBOARD_API_KEYS", KEY))) {
            String base = "http://127.0.0.1:" + dashboard.port();
            for (int i = 0; i < 10; i++) {
                assertThat(login(base, "guess-" + i).statusCode()).isEqualTo(401);
            }
            HttpResponse<String> refused = login(base, KEY);
            assertThat(refused.statusCode()).as("even the right key, for now").isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(get(base + "/api/queries", Map.of("X-Api-Key", KEY)).statusCode()).as("nor a program's key from there").isEqualTo(429);
        }
    }

    @Test
    void keysGuessedAsHeadersAreThrottledLikeLogins() throws Exception {
        try (DashboardService.Running dashboard = start(Map.of("DASHBOARD_API_KEYS", KEY))) {
            String base = "http://127.0.0.1:" + dashboard.port();
            for (int i = 0; i < 5; i++) {
                assertThat(get(base + "/api/queries", Map.of("X-Api-Key", "guess-" + i)).statusCode()).isEqualTo(401);
                assertThat(get(base + "/api/queries", Map.of("Authorization", "Bearer guess-b" + i)).statusCode()).isEqualTo(401);
            }
            HttpResponse<String> refused = get(base + "/api/queries", Map.of("X-Api-Key", "guess-10"));
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(get(base + "/api/queries", Map.of("X-Api-Key", KEY)).statusCode()).as("even the right key, for now").isEqualTo(429);
            assertThat(login(base, KEY).statusCode()).as("and at the login page").isEqualTo(429);
        }
    }

    @Test
    void withoutKeysItIsOpenOnLoopbackAndRefusesToStartElsewhere() throws Exception {
        try (DashboardService.Running dashboard = start(Map.of())) {
            String base = "http://127.0.0.1:" + dashboard.port();
            assertThat(get(base + "/", Map.of()).statusCode()).isEqualTo(200);
            assertThat(get(base + "/api/queries", Map.of()).statusCode()).isEqualTo(200);
        }
        assertThatThrownBy(() -> start(Map.of("DASHBOARD_HTTP_HOST", "0.0.0.0")))
                .hasMessageContaining("DASHBOARD_HTTP_HOST is 0.0.0.0").hasMessageContaining("DASHBOARD_API_KEYS");
    }

    @Test
    void aForeignHostAForeignOriginAndAPlainTextPostAreRefused() throws Exception {
        try (DashboardService.Running dashboard = start(Map.of("DASHBOARD_ALLOWED_HOSTS", "dash.shop.example"))) {
            ExposureChecks.assertRefusesBrowserAttacks(dashboard.port(), "/logout", Map.of());
            // A page of another local port (no-cors, no body, no type) is not the dashboard's own.
            assertThat(ExposureChecks.send(dashboard.port(), "POST", "/logout", Map.of("Host", "127.0.0.1:" + dashboard.port(),
                    "Origin", "http://127.0.0.1:3000"), null).status()).isEqualTo(403);
            assertThat(ExposureChecks.send(dashboard.port(), "POST", "/logout", Map.of("Host", "127.0.0.1:" + dashboard.port(),
                    "Origin", "http://127.0.0.1:" + dashboard.port()), null).status()).isEqualTo(204);
            for (String page : List.of("/", "/api/queries")) {
                assertThat(ExposureChecks.send(dashboard.port(), "GET", page, Map.of("Host", "rebound.attacker.example"), null).status())
                        .as(page).isEqualTo(421);
                assertThat(ExposureChecks.send(dashboard.port(), "GET", page, Map.of("Host", "dash.shop.example",
                        "Origin", "https://dash.shop.example"), null).status()).as(page).isEqualTo(200);
            }
        }
    }

    @Test
    void anInventoryServiceThatDoesNotAnswerIsAProblemWithAnErrorIdNotItsAddress() throws Exception {
        int closed = FreePorts.one();
        try (DashboardService.Running dashboard = start(Map.of("DASHBOARD_INVENTORY_URL", "http://127.0.0.1:" + closed))) {
            HttpResponse<String> answer = get("http://127.0.0.1:" + dashboard.port() + "/api/skus/SKU-1/availability", Map.of());
            assertThat(answer.statusCode()).isEqualTo(503);
            assertThat(answer.body()).contains("error id").doesNotContain(Integer.toString(closed)).doesNotContainIgnoringCase("exception");
        }
    }

    private static DashboardService.Running start(Map<String, String> settings) {
        Map<String, String> env = new HashMap<>(settings);
        env.put("DASHBOARD_HTTP_PORT", "0");
        return DashboardService.start(Config.of(env));
    }

    private HttpResponse<String> login(String base, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/login")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"key\": \"" + key + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
