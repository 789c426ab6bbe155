package dev.omnistock.notify.send;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.omnistock.notify.delivery.Delivery;
import dev.omnistock.notify.notices.Notice;
import dev.omnistock.notify.subscriptions.Subscription;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpSenderTest {

    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
    private static final Notice NOTICE = new Notice("n-1", "inventory.alert.low_stock", NOW, List.of("SKU-1"), List.of("DC-1"), null,
            "LOW STOCK SKU-1", Map.of("sku", "SKU-1"));

    private HttpServer local;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void startLocalEndpoint() throws Exception {
        local = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        local.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        local.start();
    }

    @AfterEach
    void stopLocalEndpoint() {
        local.stop(0);
    }

    private static Subscription webhook(String target) {
        return new Subscription("s-1", new Subscription.Destination(Subscription.Kind.WEBHOOK, target), Subscription.Filter.ALL,
                List.of(Signatures.newSecret()), null, NOW, null, null, null);
    }

    private int port() {
        return local.getAddress().getPort();
    }

    @Test
    void anAttemptToALocalAddressIsNotSentUnlessItsHostIsAllowListed() {
        HttpSender guarded = new HttpSender(Duration.ofSeconds(5), TargetGuard.allowing(List.of()));
        for (String target : List.of("https://127.0.0.1:" + port() + "/hook", "https://localhost:" + port() + "/hook",
                "https://[::ffff:127.0.0.1]:" + port() + "/hook")) {
            Delivery.Result refused = guarded.send(webhook(target), NOTICE, NOW);
            assertThat(refused.delivered()).as(target).isFalse();
            assertThat(refused.error()).as(target).isEqualTo(TargetGuard.REFUSED);
            assertThat(refused.statusCode()).as(target).isNull();
        }
        Delivery.Result plainHttp = guarded.send(webhook("http://127.0.0.1:" + port() + "/hook"), NOTICE, NOW);
        assertThat(plainHttp.error()).contains("https");
        assertThat(requests).as("requests that reached the local endpoint").hasValue(0);

        HttpSender allowing = new HttpSender(Duration.ofSeconds(5), TargetGuard.allowing(List.of("127.0.0.1")));
        Delivery.Result sent = allowing.send(webhook("http://127.0.0.1:" + port() + "/hook"), NOTICE, NOW);
        assertThat(sent.delivered()).isTrue();
        assertThat(requests).hasValue(1);
    }

    @Test
    void aFailedConnectionIsLoggedUnderAnErrorIdAndTheDeliveryLogGetsOnlyTheId() {
        local.stop(0); // nothing listens on the port any more
        HttpSender sender = new HttpSender(Duration.ofSeconds(5), TargetGuard.allowing(List.of("127.0.0.1")));
        Delivery.Result failed = sender.send(webhook("http://127.0.0.1:" + port() + "/hook"), NOTICE, NOW);
        assertThat(failed.delivered()).isFalse();
        assertThat(failed.error()).containsPattern("error id [0-9a-f-]{36}").doesNotContain("127.0.0.1").doesNotContain(Integer.toString(port()));
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        assertThat(HttpSender.retryAfter("120", NOW)).hasValue(Duration.ofSeconds(120));
        assertThat(HttpSender.retryAfter("Sat, 05 Dec 2026 12:01:30 GMT", NOW)).hasValue(Duration.ofSeconds(90));
        assertThat(HttpSender.retryAfter("Sat, 05 Dec 2026 11:00:00 GMT", NOW)).as("a date gone by").hasValue(Duration.ZERO);
        assertThat(HttpSender.retryAfter("soon", NOW)).isEmpty();
    }
}
