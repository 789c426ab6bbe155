package dev.omnistock.notify.send;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.omnistock.notify.delivery.Delivery;
import dev.omnistock.notify.notices.Notice;
import dev.omnistock.notify.subscriptions.Subscription;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.Optional;
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
        assertThat(failed.error()).containsPattern("error id [0-9a-f-]{36}").contains("ConnectException")
                .doesNotContain("127.0.0.1").doesNotContain(Integer.toString(port()));
    }

    /**
     * The guard's lookup got a public address and the connection went to 127.0.0.1 (DNS rebinding: the
     * client looks the name up again). A closed port, a port that does not speak TLS and one that never
     * answers must then read the same in the delivery log: text, latency and when the attempt ended.
     */
    @Test
    void toATargetNotAllowListedEveryFailureBeforeAStatusReadsAsTheTimeout() throws Exception {
        Duration timeout = Duration.ofMillis(700);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        TargetGuard rebound = new TargetGuard(List.of(), host -> new InetAddress[] {InetAddress.getByName("93.184.215.14")});
        int closedPort;
        try (ServerSocket gone = new ServerSocket(0, 1, loopback)) {
            closedPort = gone.getLocalPort();
        }
        try (ServerSocket notTls = new ServerSocket(0, 10, loopback); ServerSocket silent = new ServerSocket(0, 10, loopback)) {
            Thread plainAnswers = new Thread(() -> answerInPlainHttp(notTls), "not-tls");
            plainAnswers.setDaemon(true);
            plainAnswers.start();
            Map<String, String> targets = Map.of(
                    "refused", "https://127.0.0.1:" + closedPort + "/hook",
                    "tls failure", "https://127.0.0.1:" + notTls.getLocalPort() + "/hook",
                    "timeout", "https://127.0.0.1:" + silent.getLocalPort() + "/hook"); // never accepted: the TLS hello is never answered

            // Allow-listed, each failure keeps its own detail: the three are really different failures.
            HttpSender allowing = new HttpSender(timeout, TargetGuard.allowing(List.of("127.0.0.1")));
            Function<String, String> detail = kind -> allowing.send(webhook(targets.get(kind)), NOTICE, NOW).error();
            assertThat(detail.apply("refused")).contains("ConnectException");
            assertThat(detail.apply("tls failure")).contains("SSL");
            assertThat(detail.apply("timeout")).isEqualTo("no complete answer within 700 ms");

            HttpSender sender = new HttpSender(timeout, rebound);
            for (String kind : List.of("refused", "tls failure", "timeout")) {
                long started = System.nanoTime();
                Delivery.Result result = sender.send(webhook(targets.get(kind)), NOTICE, NOW);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as(kind + ": the attempt ends at the timeout")
                        .isGreaterThanOrEqualTo(timeout);
                assertThat(result).as(kind).isEqualTo(Delivery.Result.failed(null, 700, "no complete answer within 700 ms", Optional.empty()));
            }
        }
    }

    /** Answers whatever comes (a TLS hello) with plain HTTP, as a service that does not speak TLS does. */
    private static void answerInPlainHttp(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                socket.getInputStream().read(new byte[4096]);
                OutputStream out = socket.getOutputStream();
                out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                // closed at the test's end
            }
        }
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        assertThat(HttpSender.retryAfter("120", NOW)).hasValue(Duration.ofSeconds(120));
        assertThat(HttpSender.retryAfter("Sat, 05 Dec 2026 12:01:30 GMT", NOW)).hasValue(Duration.ofSeconds(90));
        assertThat(HttpSender.retryAfter("Sat, 05 Dec 2026 11:00:00 GMT", NOW)).as("a date gone by").hasValue(Duration.ZERO);
        assertThat(HttpSender.retryAfter("soon", NOW)).isEmpty();
    }
}
