package dev.omnistock.dashboard.live;

import io.javalin.http.sse.SseClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inventory service seen from the dashboard: a SKU's availability now, and its live feed relayed to
 * the browser (which holds no inventory API key and may not reach that service at all).
 */
public final class FeedRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FeedRelay.class);

    private final URI inventory;
    private final Optional<String> apiKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService readers = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "feed-relay");
        thread.setDaemon(true);
        return thread;
    });
    private final Semaphore clients;

    public FeedRelay(URI inventory, Optional<String> apiKey, int maxClients) {
        this.inventory = inventory;
        this.apiKey = apiKey;
        this.clients = new Semaphore(maxClients);
    }

    /** The inventory service's answer for the SKU: its status and JSON body (problem+json when not 200). */
    public HttpResponse<String> availability(String sku) throws IOException, InterruptedException {
        return http.send(request("/v1/availability/" + URLEncoder.encode(sku, StandardCharsets.UTF_8)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Relays the SKU's changes to the client until either side ends; false when the relay is full. */
    public boolean relay(SseClient client, String sku) {
        if (!clients.tryAcquire()) {
            return false;
        }
        Relay relay = new Relay(client);
        client.onClose(relay::browserLeft);
        client.keepAlive();
        readers.execute(() -> {
            HttpRequest request = request("/v1/availability-feed?sku=" + URLEncoder.encode(sku, StandardCharsets.UTF_8))
                    .header("Accept", "text/event-stream").build();
            try {
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                relay.upstream(response.body());
                if (response.statusCode() != 200) {
                    relay.send("feed-error", "The inventory service refused its feed (HTTP " + response.statusCode() + ")");
                    return;
                }
                relay.send("feed-open", sku);
                relay.forward(new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                if (relay.open()) {
                    log.warn("The inventory feed for {} ended: {}; the browser will reconnect", sku, e.toString());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                relay.end();
                clients.release();
            }
        });
        return true;
    }

    /** One browser's relay: ends once, whichever side goes first. */
    private static final class Relay {
        private final SseClient client;
        private final java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean(true);
        private volatile InputStream upstream;

        Relay(SseClient client) {
            this.client = client;
        }

        boolean open() {
            return open.get() && !client.terminated();
        }

        void upstream(InputStream body) {
            upstream = body;
            if (!open.get()) {
                closeUpstream();
            }
        }

        void send(String event, String data) {
            if (open()) {
                client.sendEvent(event, data);
            }
        }

        /**
         * Server-Sent Events: "event:" and "data:" lines, a blank line ends each one. Heartbeat comments are
         * passed on: writing them is how a browser that left is noticed.
         */
        void forward(BufferedReader in) throws IOException {
            String event = "message";
            StringBuilder data = new StringBuilder();
            String line;
            while (open() && (line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        send(event, data.toString());
                    }
                    event = "message";
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(data.length() == 0 ? "" : "\n").append(line.substring(5).trim());
                } else if (line.startsWith(":") && open()) {
                    client.sendComment(line.substring(1).trim());
                }
            }
        }

        void browserLeft() {
            open.set(false);
            closeUpstream();
        }

        /** The upstream ended or failed: close the browser's stream (its EventSource reconnects) unless it left already. */
        void end() {
            boolean wasOpen = open.getAndSet(false);
            closeUpstream();
            if (wasOpen && !client.terminated()) {
                try {
                    client.close();
                } catch (RuntimeException e) {
                    // the browser's request ended meanwhile; nothing is left to close
                }
            }
        }

        private void closeUpstream() {
            InputStream body = upstream;
            if (body != null) {
                try {
                    body.close();
                } catch (IOException ignored) {
                    // the other side is gone already
                }
            }
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(inventory.resolve(path));
        apiKey.ifPresent(key -> builder.header("X-Api-Key", key));
        return builder;
    }

    @Override
    public void close() {
        readers.shutdownNow();
    }
}
