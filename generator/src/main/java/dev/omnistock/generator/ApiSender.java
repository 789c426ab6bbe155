package dev.omnistock.generator;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnistock.events.Channel;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.StockEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends generated events through the ingestion API, each as its channel with that channel's key and
 * the generated event id as Idempotency-Key (so a resend is harmless). The API stamps its own event
 * id and time, so the generated daily rhythm of event times does not survive this path. A retry goes
 * to the next of the API addresses, so that it reaches Kafka again and the consumers must drop it. A
 * request that fails for a reason that passes (instance down, 5xx) is sent again the same way.
 */
public final class ApiSender {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long a request is retried while no instance can take it (an instance or Kafka down). */
    private static final Duration RETRY_FOR = Duration.ofMinutes(5);
    private static final long RETRY_PAUSE_MS = 500;

    private ApiSender() {
    }

    /**
     * @param apiUrls  ingestion API instances; events go to the first, retries to the others in turn
     * @param inFlight requests under way at once; 1 keeps the generated order, which a scarce workload's
     *                 truth depends on (two requests under way may be published in either order)
     */
    public static void send(Workload workload, long events, int rate, List<String> apiUrls, String keySpec, int inFlight) throws Exception {
        Map<Channel, String> keys = channelKeys(keySpec);
        HttpClient http = HttpClient.newHttpClient();
        Semaphore permits = new Semaphore(inFlight);
        int retries = 0;
        AtomicReference<String> failure = new AtomicReference<>();
        long started = System.nanoTime();
        long lastReport = started;
        for (long i = 0; i < events && failure.get() == null; i++) {
            if (rate > 0) {
                // Parked, not spinning: the sender must not take a core from the service it loads.
                long due = started + i * TimeUnit.SECONDS.toNanos(1) / rate;
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
            }
            Workload.Keyed next = workload.next();
            Channel channel = next.event() instanceof OrderEvent o ? o.getChannel() : ((StockEvent) next.event()).getChannel();
            String key = keys.get(channel);
            if (key == null) {
                throw new IllegalArgumentException("GEN_API_KEYS has no key for channel " + channel);
            }
            ApiRequests.Request request = ApiRequests.of(next.event());
            String eventId = next.event() instanceof OrderEvent o ? o.getEventId().toString() : ((StockEvent) next.event()).getEventId().toString();
            String apiUrl = next.retry() ? apiUrls.get(++retries % apiUrls.size()) : apiUrls.get(0);
            permits.acquire();
            byte[] body = JSON.writeValueAsBytes(request.body());
            int first = apiUrls.indexOf(apiUrl);
            CompletableFuture<HttpResponse<String>> response = deliver(http, apiUrls, first, request.path(), key, eventId, body,
                    System.nanoTime() + RETRY_FOR.toNanos());
            response.whenComplete((r, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error.getMessage());
                } else if (r.statusCode() != 202) {
                    failure.compareAndSet(null, request.path() + " answered " + r.statusCode() + ": " + r.body());
                }
                permits.release();
            });
            long now = System.nanoTime();
            if (now - lastReport >= TimeUnit.SECONDS.toNanos(1)) {
                System.out.printf("sent %,d of %,d events through the API, %,.0f events/s%n", i + 1, events, (i + 1) / ((now - started) / 1e9));
                lastReport = now;
            }
        }
        permits.acquire(inFlight);
        if (failure.get() != null) {
            throw new IllegalStateException("The API refused an event; stopping: " + failure.get());
        }
        System.out.printf("sent %,d events through the API in %.1f s%n", events, (System.nanoTime() - started) / 1e9);
    }

    /** GEN_API_KEYS, "WEB:k1,WAREHOUSE:k2,ADMIN:k3": the key each generated event's channel sends with. */
    static Map<Channel, String> channelKeys(String keySpec) {
        Map<Channel, String> keys = new EnumMap<>(Channel.class);
        for (String entry : keySpec.split(",")) {
            String[] parts = entry.trim().split(":", 2);
            // The generated events are the channels' and the warehouses': an admin's key (one list can serve the API too) sends none.
            if (!parts[0].equals("ADMIN")) {
                keys.put(Channel.valueOf(parts[0]), parts[1]);
            }
        }
        return keys;
    }

    /**
     * Sends one request; when the instance cannot be reached or answers 5xx or 429, sends it again, with
     * the same Idempotency-Key, to the next instance after a pause, until the deadline. A client that
     * never learnt whether its request was taken does exactly this.
     */
    private static CompletableFuture<HttpResponse<String>> deliver(HttpClient http, List<String> apiUrls, int attempt, String path,
                                                                  String key, String eventId, byte[] body, long deadline) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiUrls.get(attempt % apiUrls.size()) + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("X-Api-Key", key).header("Idempotency-Key", eventId)
                .header("X-Source-System", "generator")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
            boolean transientFailure = error != null || response.statusCode() >= 500 || response.statusCode() == 429;
            if (!transientFailure || System.nanoTime() > deadline) {
                return error != null ? CompletableFuture.<HttpResponse<String>>failedFuture(error) : CompletableFuture.completedFuture(response);
            }
            System.out.printf("retrying %s (Idempotency-Key %s) on another instance: %s%n", path, eventId,
                    error != null ? error.getMessage() : response.statusCode() + " " + response.body());
            return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(RETRY_PAUSE_MS, TimeUnit.MILLISECONDS))
                    .thenCompose(ignored -> deliver(http, apiUrls, attempt + 1, path, key, eventId, body, deadline));
        }).thenCompose(future -> future);
    }
}
