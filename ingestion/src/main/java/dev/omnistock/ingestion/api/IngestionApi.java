package dev.omnistock.ingestion.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnistock.config.KafkaConnection;
import dev.omnistock.config.RoleKeys;
import dev.omnistock.config.RequestGuard;
import dev.omnistock.events.Channel;
import dev.omnistock.ids.Ids;
import dev.omnistock.ingestion.adapters.Converted;
import dev.omnistock.ingestion.adapters.MarketplaceOrderAdapter;
import dev.omnistock.ingestion.adapters.PosSalesAdapter;
import dev.omnistock.ingestion.adapters.SkuCatalog;
import dev.omnistock.ingestion.adapters.WarehouseSnapshotAdapter;
import dev.omnistock.ingestion.requests.Envelope;
import dev.omnistock.ingestion.requests.FieldError;
import dev.omnistock.ingestion.requests.OrderRequests;
import dev.omnistock.ingestion.requests.StockRequests;
import dev.omnistock.ingestion.requests.StrictJson;
import dev.omnistock.topics.Topics;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channels' HTTP API: each accepted request becomes one canonical event on Kafka, confirmed with
 * 202 and the event id only after the broker acknowledged it. Errors are RFC 7807 problem details,
 * with the fields at fault under "errors".
 */
public final class IngestionApi implements AutoCloseable {

    public static final int MAX_BATCH = 10_000;
    /** Large enough for a batch of {@link #MAX_BATCH} counts or a store's day of till sales. */
    static final long MAX_BODY_BYTES = 8L * 1024 * 1024;
    private static final String SENDER = "sender";
    /** The presented key's fingerprint: Idempotency-Keys are the key's own, not its role's or channel's. */
    private static final String KEY_SCOPE = "keyScope";
    /** The adapters that take CSV, as the tills' and warehouses' systems export it. */
    private static final String POS_SALES = "/v1/adapters/pos/sales";
    private static final String WMS_SNAPSHOTS = "/v1/adapters/wms/snapshots";
    private static final ObjectMapper JSON = StrictJson.mapper();
    private static final Logger log = LoggerFactory.getLogger(IngestionApi.class);

    private final Javalin server;
    private final EventPublisher publisher;
    private final Idempotency idempotency = new Idempotency(100_000);
    private final Topics topics;

    public IngestionApi(String host, int port, ApiKeys keys, RequestGuard guard, KafkaConnection kafka, Map<String, Object> registryConfig, Topics topics,
                        SkuCatalog catalog) {
        this.topics = topics;
        MarketplaceOrderAdapter marketplace = new MarketplaceOrderAdapter(catalog);
        PosSalesAdapter pos = new PosSalesAdapter(catalog);
        WarehouseSnapshotAdapter wms = new WarehouseSnapshotAdapter(catalog);
        this.publisher = new EventPublisher(kafka, registryConfig);
        byte[] openApi = resource("/openapi/ingestion.json");
        RequestGuard checks = guard.accepting(POS_SALES, RequestGuard.CSV).accepting(WMS_SNAPSHOTS, RequestGuard.CSV);
        this.server = Javalin.create(config -> {
            config.jetty.host = host;
            config.jetty.port = port;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            config.routes.before(ctx -> checks.check(ctx.method().name(), ctx.path(), ctx::header));
            config.routes.before("/v1/*", ctx -> {
                String presented = Optional.ofNullable(ctx.header("X-Api-Key"))
                        .orElseGet(() -> Optional.ofNullable(ctx.header("Authorization"))
                                .filter(h -> h.startsWith("Bearer ")).map(h -> h.substring(7)).orElse(null));
                Sender sender = keys.senderOf(presented).orElseThrow(() -> new ProblemException(401, "Unauthorized",
                        "Send your API key as 'X-Api-Key: <key>' or 'Authorization: Bearer <key>'"));
                ctx.attribute(SENDER, sender);
                ctx.attribute(KEY_SCOPE, RoleKeys.fingerprint(presented));
            });
            config.routes.post("/v1/orders", ctx -> accept(ctx, Permission.PLACE_ORDERS, OrderRequests.PlaceOrder.class, OrderRequests.PlaceOrder::problems,
                    (r, e) -> new EventPublisher.Message(topics.orders().name(), r.orderId(), r.toEvent(e))));
            config.routes.post("/v1/orders/{orderId}/cancellations", ctx -> accept(ctx, Permission.CANCEL_ORDERS, OrderRequests.CancelOrder.class,
                    OrderRequests.CancelOrder::problems, (r, e) -> orderMessage(r.toEvent(e, orderId(ctx)))));
            config.routes.post("/v1/orders/{orderId}/shipments", ctx -> accept(ctx, Permission.SHIP_ORDERS, OrderRequests.ShipOrder.class,
                    OrderRequests.ShipOrder::problems, (r, e) -> orderMessage(r.toEvent(e, orderId(ctx)))));
            config.routes.post("/v1/orders/{orderId}/returns", ctx -> accept(ctx, Permission.TAKE_RETURNS, OrderRequests.ReturnOrder.class,
                    OrderRequests.ReturnOrder::problems, (r, e) -> orderMessage(r.toEvent(e, orderId(ctx)))));
            config.routes.post("/v1/stock/counts", ctx -> accept(ctx, Permission.MOVE_STOCK, StockRequests.Count.class, StockRequests.Count::problems,
                    (r, e) -> new EventPublisher.Message(topics.stockMovements().name(), r.sku(), r.toEvent(e))));
            config.routes.post("/v1/stock/counts/batch", this::countBatch);
            config.routes.post("/v1/stock/receipts", ctx -> accept(ctx, Permission.MOVE_STOCK, StockRequests.Receipt.class, StockRequests.Receipt::problems,
                    (r, e) -> new EventPublisher.Message(topics.stockMovements().name(), r.sku(), r.toEvent(e))));
            config.routes.post("/v1/stock/adjustments", ctx -> accept(ctx, Permission.MOVE_STOCK, StockRequests.Adjustment.class, StockRequests.Adjustment::problems,
                    (r, e) -> new EventPublisher.Message(topics.stockMovements().name(), r.sku(), r.toEvent(e))));
            config.routes.post("/v1/stock/inbound", ctx -> accept(ctx, Permission.MOVE_STOCK, StockRequests.Inbound.class, StockRequests.Inbound::problems,
                    (r, e) -> new EventPublisher.Message(topics.stockMovements().name(), r.sku(), r.toEvent(e))));
            config.routes.put("/v1/settings", ctx -> accept(ctx, Permission.CHANGE_SETTINGS, StockRequests.Settings.class, StockRequests.Settings::problems,
                    (r, e) -> new EventPublisher.Message(topics.inventorySettings().name(), r.key(), r.toEvent(e))));
            // Each adapter speaks for one kind of system, so only that system's keys may use it (and admins the warehouses' one).
            config.routes.post("/v1/adapters/marketplace/orders", ctx -> publish(ctx, marketplace.convert(
                    parse(ctx.bodyAsBytes(), com.fasterxml.jackson.databind.JsonNode.class), channel(ctx, Channel.MARKETPLACE), sourceSystem(ctx))));
            config.routes.post(POS_SALES, ctx -> publish(ctx, csv(() -> pos.convert(ctx.bodyAsBytes(),
                    channel(ctx, Channel.STORE_POS), sourceSystem(ctx)))));
            config.routes.post(WMS_SNAPSHOTS, ctx -> publish(ctx, csv(() -> wms.convert(ctx.bodyAsBytes(),
                    warehouse(ctx), sourceSystem(ctx)))));
            config.routes.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
            config.routes.get("/health/live", ctx -> ctx.json(Map.of("status", "UP")));
            config.routes.exception(ProblemException.class, (e, ctx) -> problem(ctx, e.status, e.title, e.getMessage(), e.errors));
            config.routes.exception(RequestGuard.Refused.class, (e, ctx) -> problem(ctx, e.status(), e.title(), e.getMessage(), List.of()));
            // Javalin's own refusals (a body over the size limit: 413) as problems too.
            config.routes.exception(HttpResponseException.class, (e, ctx) -> problem(ctx, e.getStatus(),
                    e.getStatus() == 413 ? "Body too large" : "Request refused",
                    e.getStatus() == 413 ? "The body is larger than this API takes (" + MAX_BODY_BYTES / 1024 / 1024 + " MB); send smaller batches"
                            : e.getMessage(), List.of()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                // The client gets an id to quote, never the exception's text: it can carry internals.
                String errorId = UUID.randomUUID().toString();
                log.error("Error {} answering {} {}", errorId, ctx.method(), ctx.path(), e);
                problem(ctx, 500, "Internal error", "The service failed to answer; the error is logged under id " + errorId, List.of());
            });
            config.routes.error(404, ctx -> {
                if (!"application/problem+json".equals(ctx.res().getContentType())) {
                    problem(ctx, 404, "Not found", "No such endpoint: " + ctx.method() + " " + ctx.path() + " (see /openapi.json)", List.of());
                }
            });
        });
    }

    public IngestionApi start() {
        server.start();
        return this;
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
        publisher.close();
    }

    private EventPublisher.Message orderMessage(dev.omnistock.events.OrderEvent event) {
        return new EventPublisher.Message(topics.orders().name(), event.getOrderId(), event);
    }

    private static String orderId(Context ctx) {
        String orderId = ctx.pathParam("orderId");
        if (!Ids.valid(orderId)) {
            throw new ProblemException(400, "Invalid order id", "'" + orderId + "' is not an order id",
                    List.of(new FieldError("orderId", "must be " + Ids.FORM)));
        }
        return orderId;
    }

    private static Optional<String> idempotencyKey(Context ctx) {
        return Optional.ofNullable(ctx.header("Idempotency-Key")).filter(k -> !k.isBlank());
    }

    /**
     * Answers 202 with {@code handle}'s JSON. Under an Idempotency-Key a request this instance answered
     * (or is answering) gets the same answer again, and nothing more is published.
     */
    private void respondOnce(Context ctx, Callable<String> handle) throws Exception {
        Optional<String> key = idempotencyKey(ctx);
        String response = key.isPresent()
                ? idempotency.once(keyScope(ctx), ctx.path(), key.get(), ctx.bodyAsBytes(), handle)
                : handle.call();
        ctx.status(202).contentType("application/json").result(response);
    }

    /** One request, one event: check, publish, answer with the event id (the same id for a retry). */
    private <R> void accept(Context ctx, Permission permission, Class<R> type, Function<R, List<FieldError>> problems,
                            BiFunction<R, Envelope, EventPublisher.Message> toMessage) throws Exception {
        permission.check(sender(ctx));
        respondOnce(ctx, () -> {
            R request = parse(ctx.bodyAsBytes(), type);
            List<FieldError> errors = problems.apply(request);
            if (!errors.isEmpty()) {
                throw new ProblemException(400, "Invalid request", errors.size() + " field(s) are invalid; nothing was accepted", errors);
            }
            Channel channel = sender(ctx).channel();
            Envelope envelope = envelope(ctx, channel, Idempotency.eventId(keyScope(ctx), ctx.path(), idempotencyKey(ctx)));
            publish(ctx, List.of(toMessage.apply(request, envelope)));
            return JSON.writeValueAsString(Map.of("eventId", envelope.eventId().toString()));
        });
    }

    /** Many counts in one request: good rows are accepted, bad ones reported by index; all-bad is a 400. */
    private void countBatch(Context ctx) throws Exception {
        Permission.MOVE_STOCK.check(sender(ctx));
        respondOnce(ctx, () -> countBatchAnswer(ctx));
    }

    private String countBatchAnswer(Context ctx) throws JsonProcessingException {
        Channel channel = sender(ctx).channel();
        Optional<String> key = idempotencyKey(ctx);
        CountBatch batch = parse(ctx.bodyAsBytes(), CountBatch.class);
        if (batch.counts() == null || batch.counts().isEmpty()) {
            throw new ProblemException(400, "Invalid request", "'counts' must be a non-empty array",
                    List.of(new FieldError("counts", "must have at least one entry")));
        }
        if (batch.counts().size() > MAX_BATCH) {
            throw new ProblemException(413, "Batch too large", batch.counts().size() + " counts; at most " + MAX_BATCH + " per request");
        }
        List<EventPublisher.Message> messages = new ArrayList<>();
        List<Map<String, Object>> accepted = new ArrayList<>();
        List<Map<String, Object>> rejected = new ArrayList<>();
        List<FieldError> allErrors = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < batch.counts().size(); i++) {
            StockRequests.Count count = batch.counts().get(i);
            List<FieldError> errors = count == null ? List.of(new FieldError("", "must be an object")) : count.problems();
            if (!errors.isEmpty()) {
                int index = i;
                List<FieldError> prefixed = errors.stream().map(e -> new FieldError("counts[" + index + "]." + e.field(), e.message())).toList();
                rejected.add(Map.of("index", i, "errors", prefixed));
                allErrors.addAll(prefixed);
                continue;
            }
            Envelope envelope = new Envelope(Idempotency.eventId(keyScope(ctx), ctx.path() + "#" + i, key), now, channel, sourceSystem(ctx));
            messages.add(new EventPublisher.Message(topics.stockMovements().name(), count.sku(), count.toEvent(envelope)));
            accepted.add(Map.of("index", i, "eventId", envelope.eventId().toString()));
        }
        if (messages.isEmpty()) {
            throw new ProblemException(400, "Invalid request", "no count in the batch is valid; nothing was accepted", allErrors);
        }
        publish(ctx, messages);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("accepted", accepted);
        answer.put("rejected", rejected);
        return JSON.writeValueAsString(answer);
    }

    record CountBatch(List<StockRequests.Count> counts) {
    }

    private static Converted csv(java.util.function.Supplier<Converted> conversion) {
        try {
            return conversion.get();
        } catch (IllegalArgumentException e) {
            throw new ProblemException(400, "Invalid CSV", "The body is " + e.getMessage());
        }
    }

    /** A channel adapter's result: its good rows published, its bad rows reported by row number. */
    private void publish(Context ctx, Converted converted) throws JsonProcessingException {
        List<FieldError> rowErrors = converted.rejected().stream()
                .map(e -> new FieldError(e.row() > 0 ? "row " + e.row() + ": " + e.field() : e.field(), e.message())).toList();
        if (converted.accepted().isEmpty()) {
            throw new ProblemException(400, "Invalid request", "nothing in the payload could be accepted", rowErrors);
        }
        publish(ctx, converted.accepted().stream().map(a -> new EventPublisher.Message(
                a.destination() == Converted.Destination.ORDERS ? topics.orders().name() : topics.stockMovements().name(),
                a.key(), a.event())).toList());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("accepted", converted.accepted().stream().map(a -> Map.of("row", a.row(), "key", a.key(),
                "eventId", ((org.apache.avro.generic.GenericRecord) a.event()).get("eventId").toString())).toList());
        answer.put("rejected", converted.rejected());
        ctx.status(202).contentType("application/json").result(JSON.writeValueAsString(answer));
    }

    private static Envelope envelope(Context ctx, Channel channel, java.util.UUID eventId) {
        return new Envelope(eventId, Instant.now(), channel, sourceSystem(ctx));
    }

    private static String keyScope(Context ctx) {
        return ctx.attribute(KEY_SCOPE);
    }

    private static Sender sender(Context ctx) {
        return ctx.attribute(SENDER);
    }

    /** The caller's channel, which must be the one this adapter's orders are placed on. */
    private static Channel channel(Context ctx, Channel required) {
        Permission.PLACE_ORDERS.check(sender(ctx));
        Channel channel = sender(ctx).channel();
        if (channel != required) {
            throw new ProblemException(403, "Wrong channel", "This adapter takes " + required + " events; the key sent is a "
                    + channel + " key. Use a " + required + " key.");
        }
        return channel;
    }

    /** A warehouse's snapshot, from a warehouse's or an admin's key: its events are the warehouse's. */
    private static Channel warehouse(Context ctx) {
        Permission.MOVE_STOCK.check(sender(ctx));
        return Channel.WAREHOUSE;
    }

    /**
     * Publishes, each order event stamped with the role of the caller's key: the inventory service
     * checks with it whose orders the caller may cancel, ship or take returns of.
     */
    private void publish(Context ctx, List<EventPublisher.Message> messages) {
        messages.forEach(m -> {
            if (m.value() instanceof dev.omnistock.events.OrderEvent order) {
                order.setKeyRole(sender(ctx).role());
            }
        });
        publisher.publish(messages);
    }

    private static String sourceSystem(Context ctx) {
        String source = ctx.header("X-Source-System");
        return source == null || source.isBlank() ? "ingestion-api" : source.trim();
    }

    private static <R> R parse(byte[] body, Class<R> type) {
        try {
            R request = JSON.readValue(body, type);
            if (request == null) {
                throw new ProblemException(400, "Invalid request", "The body is empty; send a JSON object (see /openapi.json)");
            }
            return request;
        } catch (JsonMappingException e) {
            Optional<FieldError> field = StrictJson.fieldError(e);
            if (field.isPresent()) {
                throw new ProblemException(400, "Invalid request", "A field has a value of the wrong type", List.of(field.get()));
            }
            throw new ProblemException(400, "Invalid JSON", "The body is not the expected JSON object (see /openapi.json)" + where(e));
        } catch (IOException e) {
            throw new ProblemException(400, "Invalid JSON", "The body is not the expected JSON object (see /openapi.json)" + where(e));
        }
    }

    /** Where the JSON goes wrong; not the parser's text, which names this service's classes. */
    private static String where(IOException e) {
        return e instanceof JsonProcessingException p && p.getLocation() != null
                ? "; it goes wrong at line " + p.getLocation().getLineNr() + ", column " + p.getLocation().getColumnNr() : "";
    }

    private static void problem(Context ctx, int status, String title, String detail, List<FieldError> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", ctx.path());
        if (!errors.isEmpty()) {
            body.put("errors", errors);
        }
        try {
            ctx.status(status).contentType("application/problem+json").result(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] resource(String path) {
        try (InputStream in = IngestionApi.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
