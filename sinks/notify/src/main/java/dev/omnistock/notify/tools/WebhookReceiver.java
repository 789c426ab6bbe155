package dev.omnistock.notify.tools;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.omnistock.notify.send.Signatures;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A webhook receiver to try the notifier with, and an example of what a receiver does: check the
 * signature (Standard Webhooks), refuse what does not verify with 401, drop a notice it already has
 * (same webhook-id), answer 2xx quickly, and print the rest.
 *
 * <pre>RECEIVER_SECRET=whsec_… RECEIVER_PORT=9099 java -cp sinks/notify/target/notifier.jar dev.omnistock.notify.tools.WebhookReceiver</pre>
 */
public final class WebhookReceiver {

    private WebhookReceiver() {
    }

    public static void main(String[] args) throws IOException {
        String secret = System.getenv("RECEIVER_SECRET");
        if (secret == null || !secret.startsWith(Signatures.SECRET_PREFIX)) {
            System.err.println("Set RECEIVER_SECRET to the subscription's secret (whsec_…), as the notifier's API gave it");
            System.exit(2);
        }
        int port = Integer.parseInt(System.getenv().getOrDefault("RECEIVER_PORT", "9099"));
        Set<String> seen = ConcurrentHashMap.newKeySet();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> receive(exchange, secret, seen));
        server.start();
        System.out.println("Receiving webhooks on http://127.0.0.1:" + port + "/ (Ctrl-C stops)");
    }

    private static void receive(HttpExchange exchange, String secret, Set<String> seen) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String id = exchange.getRequestHeaders().getFirst("webhook-id");
        boolean valid = Signatures.verify(secret, id, exchange.getRequestHeaders().getFirst("webhook-timestamp"), body,
                exchange.getRequestHeaders().getFirst("webhook-signature"), Instant.now(), Duration.ofMinutes(5));
        int status = valid ? 204 : 401;
        if (!valid) {
            System.out.println("REFUSED (signature does not verify) " + id);
        } else if (seen.add(id)) {
            System.out.println(new String(body, StandardCharsets.UTF_8));
        } else {
            System.out.println("duplicate " + id + " dropped");
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }
}
