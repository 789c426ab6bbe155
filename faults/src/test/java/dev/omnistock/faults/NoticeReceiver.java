package dev.omnistock.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook receiver the notifier delivers to, inside the test JVM: it checks each request's Standard Webhooks
 * signature (HMAC-SHA256 of {@code id.timestamp.body} with the subscription's {@code whsec_} key), answers 204 to a
 * signed one (401 to any other) and records every answered request. While {@link #refuse} holds, it answers 503,
 * as a receiver that is down, so that the notifier retries.
 */
final class NoticeReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String PATH = "/notices";

    /** One request answered: its webhook-id, the notice's type from the body, and what it was answered. */
    record Delivery(String id, String type, String body, Instant answeredAt, int status) {
        boolean acknowledged() {
            return status / 100 == 2;
        }
    }

    private final HttpServer server;
    private final ExecutorService workers = Executors.newFixedThreadPool(8);
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final AtomicLong unsigned = new AtomicLong();
    private volatile byte[] key;
    private volatile boolean refusing;

    NoticeReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        server.setExecutor(workers);
        server.createContext(PATH, this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    /** The subscription's secret, shown once when the subscription was made. */
    void trust(String secret) {
        key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
    }

    /** While true, every request is answered 503 (and recorded as such). */
    void refuse(boolean refusing) {
        this.refusing = refusing;
    }

    List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** Requests whose signature did not check out. */
    long unsigned() {
        return unsigned.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            int status;
            if (!signed(id, exchange.getRequestHeaders().getFirst("webhook-timestamp"), body,
                    exchange.getRequestHeaders().getFirst("webhook-signature"))) {
                unsigned.incrementAndGet();
                status = 401;
            } else {
                status = refusing ? 503 : 204;
            }
            String text = new String(body, StandardCharsets.UTF_8);
            deliveries.add(new Delivery(id, type(text), text, Instant.now(), status));
            exchange.sendResponseHeaders(status, -1);
        }
    }

    private boolean signed(String id, String timestamp, byte[] body, String signatures) {
        if (key == null || id == null || timestamp == null || signatures == null) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            byte[] expected = ("v1," + Base64.getEncoder().encodeToString(mac.doFinal(body))).getBytes(StandardCharsets.UTF_8);
            for (String signature : signatures.trim().split(" +")) {
                if (MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8))) {
                    return true;
                }
            }
            return false;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String type(String body) {
        try {
            return JSON.readTree(body).path("type").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** Acknowledged (2xx) answers by webhook-id, each with the moments it was acknowledged. */
    Map<String, List<Instant>> acknowledged() {
        Map<String, List<Instant>> byId = new HashMap<>();
        for (Delivery d : deliveries) {
            if (d.acknowledged()) {
                byId.computeIfAbsent(d.id(), k -> new java.util.ArrayList<>()).add(d.answeredAt());
            }
        }
        return byId;
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
