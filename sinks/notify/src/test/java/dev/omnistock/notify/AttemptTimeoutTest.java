package dev.omnistock.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.omnistock.notify.delivery.Delivery;
import dev.omnistock.notify.notices.Notice;
import dev.omnistock.notify.send.HttpSender;
import dev.omnistock.notify.send.Signatures;
import dev.omnistock.notify.send.TargetGuard;
import dev.omnistock.notify.subscriptions.Subscription;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** NOTIFY_TIMEOUT_MS bounds a whole attempt: connecting, the answer's headers and its body. */
class AttemptTimeoutTest {

    @Test
    void aReceiverTricklingItsAnswerHoldsAWorkerNoLongerThanTheTimeout() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"))) {
            Thread trickler = new Thread(() -> {
                try (Socket socket = server.accept()) {
                    InputStream in = socket.getInputStream();
                    byte[] buffer = new byte[8192];
                    in.read(buffer); // the request (small enough for one read here)
                    OutputStream out = socket.getOutputStream();
                    // Headers at once, then a byte of the promised body every 200 ms: for 200 s.
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    for (int i = 0; i < 1000; i++) {
                        Thread.sleep(200);
                        out.write('x');
                        out.flush();
                    }
                } catch (Exception e) {
                    // the notifier gave up and closed the connection
                }
            }, "trickling-receiver");
            trickler.setDaemon(true);
            trickler.start();

            HttpSender sender = new HttpSender(Duration.ofSeconds(1), TargetGuard.allowing(List.of("127.0.0.1")));
            Subscription subscription = new Subscription("sub-1", new Subscription.Destination(Subscription.Kind.WEBHOOK,
                    "http://127.0.0.1:" + server.getLocalPort() + "/hook"), Subscription.Filter.ALL, List.of(Signatures.newSecret()), null,
                    Instant.now(), null, null, null);
            Notice notice = new Notice("n-1", "inventory.alert.low_stock", Instant.now(), List.of("SKU-1"), List.of(), null, "LOW STOCK",
                    Map.of());

            long started = System.nanoTime();
            Delivery.Result result = assertTimeoutPreemptively(Duration.ofSeconds(15), () -> sender.send(subscription, notice, Instant.now()));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThat(result.delivered()).as("an answer not complete in time is a failure").isFalse();
            assertThat(result.error()).contains("within 1000 ms");
        }
    }
}
