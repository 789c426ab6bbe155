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
        client.keepAlive();
        readers.execute(() -> {
            HttpRequest request = request("/v1/availability-feed?sku=" + URLEncoder.encode(sku, StandardCharsets.UTF_8))
                    .header("Accept", "text/event-stream").build();
            try {
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream body = response.body()) {
                    client.onClose(() -> close(body));
                    if (response.statusCode() != 200) {
                        client.sendEvent("feed-error", "The inventory service refused its feed (HTTP " + response.statusCode() + ")");
                        return;
                    }
                    client.sendEvent("feed-open", sku);
                    forward(new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8)), client);
                }
            } catch (IOException e) {
                if (!client.terminated()) {
                    log.warn("The inventory feed for {} ended: {}; the browser will reconnect", sku, e.toString());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                clients.release();
                client.close();
            }
        });
        return true;
    }

    /** Server-Sent Events: "event:" and "data:" lines, a blank line ends each one; comments (heartbeats) are dropped. */
    private static void forward(BufferedReader in, SseClient client) throws IOException {
        String event = "message";
        StringBuilder data = new StringBuilder();
        String line;
        while (!client.terminated() && (line = in.readLine()) != null) {
            if (line.isEmpty()) {
                if (data.length() > 0) {
                    client.sendEvent(event, data.toString());
                }
                event = "message";
                data.setLength(0);
            } else if (line.startsWith("event:")) {
                event = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                data.append(data.length() == 0 ? "" : "\n").append(line.substring(5).trim());
            }
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(inventory.resolve(path));
        apiKey.ifPresent(key -> builder.header("X-Api-Key", key));
        return builder;
    }

    private static void close(InputStream body) {
        try {
            body.close();
        } catch (IOException ignored) {
            // the browser left; the upstream connection goes with it
        }
    }

    @Override
    public void close() {
        readers.shutdownNow();
    }
}
