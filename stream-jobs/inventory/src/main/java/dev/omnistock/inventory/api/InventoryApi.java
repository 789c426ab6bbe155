package dev.omnistock.inventory.api;

import dev.omnistock.config.RequestGuard;
import dev.omnistock.config.RoleKeys;
import dev.omnistock.events.InventoryPosition;
import dev.omnistock.events.OrderStatusChanged;
import dev.omnistock.ids.Ids;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnistock.config.KafkaConnection;
import dev.omnistock.topics.Topics;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.util.AsyncExecutor;
import io.javalin.util.NamedThreadFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import kotlin.LazyKt;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storefront API: availability of one SKU or a batch, a live feed of changes (Server-Sent
 * Events), an order's status and its feed, health and readiness, and its OpenAPI document. Served
 * by every instance; a SKU or order another instance hosts is answered through that instance.
 */
public final class InventoryApi implements AutoCloseable {

    public static final int MAX_BATCH = 1_000;
    private static final String READER = "reader";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(InventoryApi.class);
    /** How long closing waits for requests in flight to be answered (a lookup routed to another instance included). */
    private static final long IN_FLIGHT_GRACE_MS = 10_000;

    private final Javalin server;
    /** Runs the feeds' connection handlers; ours, so that closing the API ends its threads (Javalin's own
     * pool outlives stop() by its threads' idle minute, holding up the exit of a JVM that embeds the API). */
    private final ExecutorService feedHandlers = Executors.newCachedThreadPool(new NamedThreadFactory("inventory-api-async"));
    private final LiveFeed<InventoryPosition> feed;
    private final LiveFeed<OrderStatusChanged> orderFeed;
    private final CommittedOrders committedOrders;
    private volatile boolean stopping;

    public InventoryApi(KafkaStreams streams, TaskWatch tasks, HostInfo self, String bindHost, KafkaConnection kafka, Topics topics,
                        int feedMaxPendingChars, Duration feedHeartbeat, int feedMaxSubscribers, RoleKeys<Reader> keys, RequestGuard guard) {
        InstanceRouting routing = new InstanceRouting(streams, tasks, self);
        AvailabilityLookup lookup = new AvailabilityLookup(routing);
        this.committedOrders = new CommittedOrders(kafka, topics.orderStatus());
        OrderLookup orderLookup = new OrderLookup(routing, committedOrders);
        // Availability as processed: a position an abort takes back is recomputed, under the same version.
        this.feed = new LiveFeed<>("availability", "skus", kafka, IsolationLevel.READ_UNCOMMITTED, topics.inventoryAvailability(), position -> {
            AvailabilityView view = AvailabilityView.from(position);
            return new LiveFeed.Frame("availability", Long.toString(view.version()), view);
        }, feedMaxPendingChars, feedHeartbeat, feedMaxSubscribers);
        // An order's changes once committed: a customer must not be told of an expiry an abort takes back.
        this.orderFeed = new LiveFeed<>("order-status", "orderIds", kafka, IsolationLevel.READ_COMMITTED, topics.orderStatus(),
                change -> new LiveFeed.Frame("order-status", Long.toString(change.getSequence()), OrderView.change(change)),
                feedMaxPendingChars, feedHeartbeat, feedMaxSubscribers);
        byte[] openApi = readOpenApi();
        this.server = Javalin.create(config -> {
            config.jetty.host = bindHost;
            config.jetty.port = self.port();
            // Stopping waits for the requests in flight: Javalin puts its handler inside this one.
            config.jetty.modifyServer(jetty -> {
                jetty.setStopTimeout(IN_FLIGHT_GRACE_MS);
                jetty.setHandler(new GracefulHandler());
            });
            config.concurrency.executor = LazyKt.lazyOf(new AsyncExecutor(feedHandlers));
            config.routes.before(ctx -> guard.check(ctx.method().name(), ctx.path(), ctx::header));
            // EventSource cannot send headers, so the feed also takes the key as ?api_key=.
            config.routes.before("/v1/*", ctx -> {
                Reader reader = keys.isEmpty() ? Reader.OPEN : keys.roleOf(presentedKey(ctx)).orElseThrow(() -> {
                    ctx.header("WWW-Authenticate", "Bearer");
                    return new ProblemException(401, "Unauthorized",
                            "Send an API key as 'X-Api-Key: <key>' or 'Authorization: Bearer <key>' (the feed also takes ?api_key=<key>)");
                });
                ctx.attribute(READER, reader);
            });
            // A plain key reads availability only; which orders the others read, the lookup and the feed say.
            config.routes.before("/v1/orders/*", ctx -> {
                if (!reader(ctx).readsOrders()) {
                    throw new ProblemException(403, "Not allowed", "This key reads availability only; orders are read with a channel's key "
                            + "(CHANNEL:key, its channel's orders) or an agent's (AGENT:key) in INVENTORY_API_KEYS");
                }
            });
            config.routes.get("/v1/availability/{sku}", ctx -> {
                String sku = validSku(ctx.pathParam("sku"));
                BatchAnswer answer = lookup.find(List.of(sku), isLocal(ctx), acceptsStale(ctx), presentedKey(ctx));
                if (answer.isNotFound(sku)) {
                    throw new ProblemException(404, "Unknown SKU", "No stock has ever been recorded for SKU " + sku);
                }
                if (answer.get(sku) == null) {
                    throw new ProblemException(503, "SKU unavailable", "The instance holding SKU " + sku + " does not answer now; its work moves"
                            + " to another instance within the session timeout. Retry, or ask with ?stale=ok for a standby's copy",
                            InstanceRouting.RETRY_AFTER_SECONDS);
                }
                ctx.json(answer.get(sku));
            });
            // Never fails whole for a host away: its SKUs are listed as unavailable, with Retry-After.
            config.routes.post("/v1/availability/batch", ctx -> {
                BatchAnswer.Response response = lookup.find(batchSkus(ctx), isLocal(ctx), acceptsStale(ctx), presentedKey(ctx)).response();
                if (!response.unavailable().isEmpty()) {
                    ctx.header("Retry-After", Integer.toString(InstanceRouting.RETRY_AFTER_SECONDS));
                }
                ctx.json(response);
            });
            config.routes.before("/v1/availability-feed", ctx -> admitToFeed(ctx, feed));
            config.routes.get("/v1/orders/{orderId}", ctx -> {
                String orderId = validOrderId(ctx.pathParam("orderId"));
                // Another channel's order is as unknown as one never placed: its id cannot be probed.
                byte[] order = orderLookup.find(orderId, isLocal(ctx), presentedKey(ctx), reader(ctx)).orElseThrow(() -> new ProblemException(404,
                        "Unknown order", "No order " + orderId + " is known to this key: never placed, closed longer ago than the retention, "
                                + "or another channel's"));
                ctx.contentType("application/json").result(order);
            });
            config.routes.before("/v1/orders/{orderId}/events", ctx -> admitToFeed(ctx, orderFeed));
            // Any instance serves it: each reads every partition of order-status.
            // Opens for any id, as for an order not placed yet, and carries the changes of orders the key may read only.
            config.routes.sse("/v1/orders/{orderId}/events", client -> {
                Reader reader = reader(client.ctx());
                orderFeed.subscribe(client, Set.of(validOrderId(client.ctx().pathParam("orderId"))),
                        change -> reader.mayRead(change.getChannel().name()));
            });
            config.routes.sse("/v1/availability-feed", client -> {
                String filter = client.ctx().queryParam("sku");
                Set<String> skus = new LinkedHashSet<>();
                if (filter != null && !filter.isBlank()) {
                    Arrays.stream(filter.split(",")).map(String::trim).map(InventoryApi::validSku).forEach(skus::add);
                }
                feed.subscribe(client, skus, position -> true);
            });
            // Live while Kafka Streams can still run and the feed reads: an orchestrator restarts what is not.
            config.routes.get("/health/live", ctx -> {
                KafkaStreams.State state = streams.state();
                if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR) {
                    throw new ProblemException(503, "Down", "Kafka Streams is " + state + " after an error it cannot retry; restart the service");
                }
                if (!feed.running() || !orderFeed.running() || !committedOrders.running()) {
                    throw new ProblemException(503, "Down", "A reader of changes (a feed's, or the orders' committed one) has stopped; restart the service");
                }
                ctx.json(Map.of("status", "UP", "streams", state.name()));
            });
            config.routes.get("/health/ready", ctx -> {
                if (stopping) {
                    throw new ProblemException(503, "Not ready", "The instance is stopping; it still answers requests while load balancers take it out");
                }
                KafkaStreams.State state = streams.state();
                if (state != KafkaStreams.State.RUNNING) {
                    throw new ProblemException(503, "Not ready", "Kafka Streams is " + state);
                }
                ctx.json(Map.of("status", "READY"));
            });
            config.routes.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
            config.routes.exception(ProblemException.class, (e, ctx) -> {
                if (e.retryAfterSeconds > 0) {
                    ctx.header("Retry-After", Integer.toString(e.retryAfterSeconds));
                }
                problem(ctx, e.status, e.title, e.getMessage());
            });
            config.routes.exception(RequestGuard.Refused.class, (e, ctx) -> problem(ctx, e.status(), e.title(), e.getMessage()));
            // Javalin's own refusals (a body over the 1 MB limit: 413) as problems too.
            config.routes.exception(HttpResponseException.class, (e, ctx) -> problem(ctx, e.getStatus(),
                    e.getStatus() == 413 ? "Body too large" : "Request refused",
                    e.getStatus() == 413 ? "The body is larger than this API takes; ask for at most " + MAX_BATCH + " SKUs" : e.getMessage()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                // The client gets an id to quote, never the exception's text: it can carry internals.
                String errorId = UUID.randomUUID().toString();
                log.error("Error {} answering {} {}", errorId, ctx.method(), ctx.path(), e);
                problem(ctx, 500, "Internal error", "The service failed to answer; the error is logged under id " + errorId);
            });
            config.routes.error(404, ctx -> {
                if (!Problem.CONTENT_TYPE.equals(ctx.res().getContentType())) {
                    problem(ctx, 404, "Not found", "No such endpoint: " + ctx.method() + " " + ctx.path() + " (see /openapi.json)");
                }
            });
        });
    }

    public InventoryApi start() {
        server.start();
        return this;
    }

    public int port() {
        return server.port();
    }

    /** From now on not ready, so that load balancers stop sending; every other endpoint goes on answering. */
    public void stopAccepting() {
        stopping = true;
    }

    @Override
    public void close() {
        feed.close();
        orderFeed.close();
        committedOrders.close();
        server.stop();
        feedHandlers.shutdownNow();
    }

    private static String presentedKey(Context ctx) {
        String key = ctx.header("X-Api-Key");
        if (key == null) {
            String authorization = ctx.header("Authorization");
            if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                key = authorization.substring(7).trim();
            }
        }
        if (key == null && (ctx.path().equals("/v1/availability-feed") || ctx.path().endsWith("/events"))) {
            key = ctx.queryParam("api_key");
        }
        return key;
    }

    /** Turns a client away from a full feed, or one that did not ask for Server-Sent Events. */
    private static void admitToFeed(Context ctx, LiveFeed<?> liveFeed) {
        if (liveFeed.full()) {
            ctx.header("Retry-After", "30");
            throw new ProblemException(503, "Feed full", "This instance serves its maximum of " + liveFeed.maxSubscribers()
                    + " clients of this feed; retry later or on another instance");
        }
        // Without it the server library answers an empty 200; EventSource always sends it.
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            throw new ProblemException(406, "Not acceptable",
                    "This feed is Server-Sent Events: send 'Accept: text/event-stream' (EventSource does)");
        }
    }

    private static Reader reader(Context ctx) {
        return ctx.attribute(READER);
    }

    static String validOrderId(String orderId) {
        if (!Ids.valid(orderId)) {
            throw new ProblemException(400, "Invalid order id", "'" + orderId + "' is not an order id: " + Ids.FORM);
        }
        return orderId;
    }

    private static boolean isLocal(Context ctx) {
        return "local".equals(ctx.queryParam("scope"));
    }

    /** {@code ?stale=ok}: the caller takes a standby's copy, marked stale, of a SKU whose host is away. */
    private static boolean acceptsStale(Context ctx) {
        String stale = ctx.queryParam("stale");
        if (stale != null && !stale.equals("ok")) {
            throw new ProblemException(400, "Invalid parameter", "'stale' takes 'ok' only (a standby's copy is accepted), or is left out");
        }
        return stale != null;
    }

    private static String validSku(String sku) {
        if (!Ids.valid(sku)) {
            throw new ProblemException(400, "Invalid SKU", "'" + sku + "' is not a SKU: " + Ids.FORM);
        }
        return sku;
    }

    private static List<String> batchSkus(Context ctx) {
        Map<?, ?> body;
        try {
            body = JSON.readValue(ctx.bodyAsBytes(), Map.class);
        } catch (IOException e) {
            // Where, not the parser's text: that names this service's classes.
            String where = e instanceof com.fasterxml.jackson.core.JsonProcessingException p && p.getLocation() != null
                    ? "; it goes wrong at line " + p.getLocation().getLineNr() + ", column " + p.getLocation().getColumnNr() : "";
            throw new ProblemException(400, "Invalid body", "Expected JSON like {\"skus\": [\"SKU-1\", \"SKU-2\"]}" + where);
        }
        if (!(body.get("skus") instanceof List<?> list) || list.isEmpty()) {
            throw new ProblemException(400, "Invalid body", "'skus' must be a non-empty array of SKUs");
        }
        if (list.size() > MAX_BATCH) {
            throw new ProblemException(400, "Batch too large", list.size() + " SKUs asked; at most " + MAX_BATCH + " per request");
        }
        if (!list.stream().allMatch(String.class::isInstance)) {
            throw new ProblemException(400, "Invalid body", "'skus' must be an array of strings; a SKU written as a number is not one");
        }
        return list.stream().map(s -> validSku((String) s)).distinct().toList();
    }

    private static void problem(Context ctx, int status, String title, String detail) {
        ctx.status(status).contentType(Problem.CONTENT_TYPE);
        try {
            ctx.result(JSON.writeValueAsBytes(Problem.of(status, title, detail, ctx.path())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readOpenApi() {
        try (InputStream in = InventoryApi.class.getResourceAsStream("/openapi/inventory.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi/inventory.json is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
