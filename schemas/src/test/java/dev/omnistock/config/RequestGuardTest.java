package dev.omnistock.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestGuardTest {

    private final RequestGuard guard = RequestGuard.forService("NOTIFY_ALLOWED_HOSTS", List.of("127.0.0.1"), List.of("notify.example.com"))
            .accepting("/v1/csv", RequestGuard.CSV);

    @Test
    void aPlainTextPostToAJsonEndpointIsRefusedWith415() {
        RequestGuard.Refused refused = refusal("POST", "/v1/subscriptions", headers("127.0.0.1:8060", null, "text/plain", "12"));
        assertThat(refused.status()).isEqualTo(415);
        assertThat(refused.getMessage()).contains("application/json").contains("text/plain");
        assertThat(refusal("PUT", "/v1/settings", headers("127.0.0.1:8060", null, "application/x-www-form-urlencoded", "3")).status())
                .isEqualTo(415);
        assertThat(refusal("PATCH", "/v1/x", headers("127.0.0.1:8060", null, null, "3")).status()).as("a body without a type").isEqualTo(415);
    }

    @Test
    void jsonWithParametersAndBodilessActionsPass() {
        assertPasses("POST", "/v1/subscriptions", headers("127.0.0.1:8060", null, "Application/JSON; charset=UTF-8", "40"));
        assertPasses("POST", "/v1/subscriptions/1/enable", headers("127.0.0.1:8060", null, null, "0"));
        assertPasses("POST", "/v1/subscriptions/1/enable", headers("127.0.0.1:8060", null, null, null));
        assertPasses("GET", "/v1/subscriptions", headers("127.0.0.1:8060", null, "text/plain", null));
    }

    @Test
    void anEndpointTakingCsvTakesCsvOnly() {
        assertPasses("POST", "/v1/csv", headers("127.0.0.1:8080", null, "text/csv; charset=utf-8", "100"));
        assertThat(refusal("POST", "/v1/csv", headers("127.0.0.1:8080", null, "application/json", "100")).status()).isEqualTo(415);
        assertThat(refusal("POST", "/v1/csv", headers("127.0.0.1:8080", null, "text/plain", "100")).status()).isEqualTo(415);
    }

    @Test
    void aHostThatIsNotTheServicesIsRefused() {
        RequestGuard.Refused refused = refusal("GET", "/health/live", headers("attacker.example:8060", null, null, null));
        assertThat(refused.status()).isEqualTo(421);
        assertThat(refused.getMessage()).contains("NOTIFY_ALLOWED_HOSTS");
        assertThat(refusal("GET", "/v1/x", headers(null, null, null, null)).status()).as("no Host").isEqualTo(421);
        assertThat(refusal("GET", "/v1/x", headers("localhost.attacker.example", null, null, null)).status()).isEqualTo(421);
    }

    @Test
    void loopbackNamesTheBindAddressAndConfiguredNamesAreAcceptedOnAnyPort() {
        for (String host : List.of("127.0.0.1:8060", "localhost:1", "LOCALHOST", "[::1]:8060", "notify.example.com", "Notify.Example.com:443")) {
            assertPasses("GET", "/v1/x", headers(host, null, null, null));
        }
        RequestGuard boundToLan = RequestGuard.forService("X_ALLOWED_HOSTS", List.of("10.1.2.3"), List.of("[fd00::7]:9000"));
        assertThatCode(() -> boundToLan.check("GET", "/", headers("10.1.2.3:8070", null, null, null)::get)).doesNotThrowAnyException();
        assertThatCode(() -> boundToLan.check("GET", "/", headers("[fd00::7]:8070", null, null, null)::get)).doesNotThrowAnyException();
    }

    @Test
    void aForeignOriginIsRefusedAndTheServicesOwnAccepted() {
        RequestGuard.Refused refused = refusal("POST", "/v1/subscriptions",
                headers("127.0.0.1:8060", "https://evil.example", "application/json", "10"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refusal("GET", "/v1/deliveries", headers("127.0.0.1:8060", "null", null, null)).status()).isEqualTo(403);
        assertThat(refusal("GET", "/v1/deliveries", headers("127.0.0.1:8060", "file://", null, null)).status()).isEqualTo(403);
        for (String origin : List.of("http://127.0.0.1:8060", "http://localhost:8060", "http://[::1]:8060", "http://notify.example.com:8060")) {
            assertPasses("POST", "/v1/subscriptions", headers("127.0.0.1:8060", origin, "application/json", "10"));
        }
        assertPasses("POST", "/v1/subscriptions", headers("notify.example.com", "https://notify.example.com", "application/json", "10"));
        assertPasses("POST", "/v1/subscriptions", headers("notify.example.com:443", "https://notify.example.com", "application/json", "10"));
    }

    @Test
    void anOriginOnAnotherPortOrSchemeOfAnAllowedHostIsRefused() {
        // A dev server or any other local program's page is not the service on 8060.
        for (String origin : List.of("http://localhost:3000", "http://127.0.0.1:8070", "https://notify.example.com",
                "http://[::1]:8061")) {
            assertThat(refusal("POST", "/v1/subscriptions", headers("127.0.0.1:8060", origin, "application/json", "10")).status())
                    .as(origin).isEqualTo(403);
        }
        assertThat(refusal("POST", "/v1/subscriptions", headers("notify.example.com", "https://notify.example.com:8443", "application/json", "10"))
                .status()).as("a Host without a port is the default port").isEqualTo(403);
        Map<String, String> viaProxy = headers("notify.example.com", "http://notify.example.com", "application/json", "10");
        viaProxy.put("X-Forwarded-Proto", "https");
        assertThat(refusal("POST", "/v1/subscriptions", viaProxy).status()).as("the proxy's scheme").isEqualTo(403);
        viaProxy.put("Origin", "https://notify.example.com");
        assertPasses("POST", "/v1/subscriptions", viaProxy);
    }

    @Test
    void aBodilessActionIsServedToTheExactOriginOnly() {
        // fetch(url, {method: "POST", mode: "no-cors"}) needs neither a type nor a preflight.
        for (String method : List.of("POST", "DELETE", "PUT")) {
            assertThat(refusal(method, "/v1/subscriptions/1/enable", headers("127.0.0.1:8060", "http://localhost:3000", null, null)).status())
                    .as(method).isEqualTo(403);
            assertThat(refusal(method, "/v1/subscriptions/1/enable", headers("127.0.0.1:8060", "http://localhost:8060", null, "0")).status())
                    .as(method + " from another name of the service").isEqualTo(403);
            assertPasses(method, "/v1/subscriptions/1/enable", headers("127.0.0.1:8060", "http://127.0.0.1:8060", null, "0"));
            assertPasses(method, "/v1/subscriptions/1/enable", headers("127.0.0.1:8060", null, null, null));
        }
    }

    @Test
    void anyHostLeavesTheHostToAProxyButStillRefusesOtherSitesPages() {
        RequestGuard behindProxy = RequestGuard.forService("X_ALLOWED_HOSTS", List.of("0.0.0.0"), List.of("*"));
        assertThatCode(() -> behindProxy.check("GET", "/", headers("10.0.0.9:8070", null, null, null)::get)).doesNotThrowAnyException();
        assertThatCode(() -> behindProxy.check("POST", "/login", headers("dash.example.com", "https://dash.example.com", "application/json", "5")::get))
                .doesNotThrowAnyException();
        RequestGuard.Refused refused = catchThrowableOfType(() -> behindProxy.check("POST", "/login",
                headers("dash.example.com", "https://evil.example", "application/json", "5")::get), RequestGuard.Refused.class);
        assertThat(refused.status()).isEqualTo(403);
    }

    @Test
    void aServiceWithoutKeysMayBindToLoopbackOnly() {
        assertThatCode(() -> RequestGuard.requireKeysBeyondLoopback("X_HTTP_HOST", "127.0.0.1", "X_API_KEYS", true)).doesNotThrowAnyException();
        assertThatCode(() -> RequestGuard.requireKeysBeyondLoopback("X_HTTP_HOST", "0.0.0.0", "X_API_KEYS", false)).doesNotThrowAnyException();
        assertThatThrownBy(() -> RequestGuard.requireKeysBeyondLoopback("X_HTTP_HOST", "0.0.0.0", "X_API_KEYS", true))
                .hasMessageContaining("X_HTTP_HOST is 0.0.0.0").hasMessageContaining("set X_API_KEYS");
    }

    private RequestGuard.Refused refusal(String method, String path, Map<String, String> headers) {
        RequestGuard.Refused refused = catchThrowableOfType(() -> guard.check(method, path, headers::get), RequestGuard.Refused.class);
        assertThat(refused).as(method + " " + path + " " + headers + " must be refused").isNotNull();
        return refused;
    }

    private void assertPasses(String method, String path, Map<String, String> headers) {
        assertThatCode(() -> guard.check(method, path, headers::get)).as(method + " " + path + " " + headers).doesNotThrowAnyException();
    }

    private static Map<String, String> headers(String host, String origin, String contentType, String contentLength) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Host", host);
        headers.put("Origin", origin);
        headers.put("Content-Type", contentType);
        headers.put("Content-Length", contentLength);
        return headers;
    }
}
