package dev.omnistock.notify.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnistock.config.ApiKeys;
import dev.omnistock.config.RequestGuard;
import dev.omnistock.notify.Notifier;
import dev.omnistock.notify.delivery.Delivery;
import dev.omnistock.notify.send.Signatures;
import dev.omnistock.notify.send.TargetGuard;
import dev.omnistock.notify.subscriptions.Subscription;
import dev.omnistock.notify.subscriptions.SubscriptionRequest;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Subscriptions and the delivery log, over HTTP with API keys; every refusal is an RFC 7807 problem. */
public final class NotifierApi implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NotifierApi.class);
    private static final String PROBLEM = "application/problem+json";
    private static final int MAX_LIMIT = 1_000;

    private final Javalin server;

    /** A subscription as the API shows it: its target masked, its secret only in the answer that created or rotated it. */
    public record SubscriptionView(String id, String kind, String target, Subscription.Filter filter, Instant createdAt,
                                   Instant failingSince, Instant disabledAt, String disabledReason, String secret) {
        static SubscriptionView of(Subscription s, boolean withSecret) {
            return new SubscriptionView(s.id(), s.destination().kind().name(), s.maskedTarget(), s.filter(), s.createdAt(),
                    s.failingSince(), s.disabledAt(), s.disabledReason(), withSecret ? s.secrets().get(0) : null);
        }
    }

    private record Problem(String type, String title, int status, String detail, String instance) {
    }

    private static final class Refused extends RuntimeException {
        final int status;
        final String title;

        Refused(int status, String title, String detail) {
            super(detail);
            this.status = status;
            this.title = title;
        }
    }

    public NotifierApi(Notifier notifier, String host, int port, ApiKeys keys, RequestGuard guard, Duration secretOverlap, TargetGuard targets, Clock clock) {
        ObjectMapper json = new ObjectMapper().registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
                .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        this.server = Javalin.create(config -> {
            config.jetty.host = host;
            config.jetty.port = port;
            config.jsonMapper(new JavalinJackson(json, false));
            config.routes.before(ctx -> guard.check(ctx.method().name(), ctx.path(), ctx::header));
            config.routes.before("/v1/*", ctx -> {
                if (!keys.admits(presentedKey(ctx))) {
                    ctx.header("WWW-Authenticate", "Bearer");
                    throw new Refused(401, "Unauthorized", "Send an API key as 'X-Api-Key: <key>' or 'Authorization: Bearer <key>'");
                }
            });
            config.routes.post("/v1/subscriptions", ctx -> {
                SubscriptionRequest.Checked checked = check(json, ctx, targets);
                Subscription created = notifier.save(new Subscription(UUID.randomUUID().toString(), checked.destination(), checked.filter(),
                        List.of(Signatures.newSecret()), null, clock.instant(), null, null, null));
                ctx.status(201).header("Location", "/v1/subscriptions/" + created.id()).json(SubscriptionView.of(created, true));
            });
            config.routes.get("/v1/subscriptions", ctx -> ctx.json(notifier.subscriptions().stream()
                    .map(s -> SubscriptionView.of(s, false)).toList()));
            config.routes.get("/v1/subscriptions/{id}", ctx -> ctx.json(SubscriptionView.of(known(notifier, ctx), false)));
            config.routes.delete("/v1/subscriptions/{id}", ctx -> {
                if (!notifier.delete(ctx.pathParam("id"))) {
                    throw notFound(ctx);
                }
                ctx.status(204);
            });
            // The new secret signs at once; the previous one signs beside it for the overlap, while receivers switch.
            // Both change the subscription as it is now: a copy read first and saved back would undo what a worker
            // marked meanwhile (failing since, disabled).
            config.routes.post("/v1/subscriptions/{id}/rotate-secret", ctx -> ctx.json(SubscriptionView.of(notifier.update(
                    ctx.pathParam("id"), s -> s.withNewSecret(Signatures.newSecret(), clock.instant(), secretOverlap)).orElseThrow(() -> notFound(ctx)), true)));
            config.routes.post("/v1/subscriptions/{id}/enable", ctx -> ctx.json(SubscriptionView.of(
                    notifier.update(ctx.pathParam("id"), Subscription::reenabled).orElseThrow(() -> notFound(ctx)), false)));
            config.routes.get("/v1/deliveries", ctx -> {
                Optional<Delivery.Status> status = Optional.ofNullable(ctx.queryParam("status")).map(NotifierApi::status);
                ctx.json(notifier.deliveries(Optional.ofNullable(ctx.queryParam("subscriptionId")), status, limit(ctx)));
            });
            config.routes.get("/v1/deliveries/{id}", ctx -> ctx.json(notifier.delivery(ctx.pathParam("id"))
                    .orElseThrow(() -> notFound(ctx))));
            config.routes.post("/v1/deliveries/{id}/redeliver", ctx -> {
                try {
                    ctx.status(202).json(notifier.redeliver(ctx.pathParam("id")).orElseThrow(() -> notFound(ctx)));
                } catch (dev.omnistock.notify.delivery.DeliveryStore.Busy e) {
                    throw new Refused(503, "Not now", e.getMessage());
                }
            });
            config.routes.get("/health/live", ctx -> {
                if (!notifier.live()) {
                    throw new Refused(503, "Down", "The notifier's input reader or dispatcher stopped (see its log): restart it");
                }
                ctx.json(Map.of("status", "UP"));
            });
            config.routes.get("/health/ready", ctx -> {
                if (!notifier.ready()) {
                    throw new Refused(503, "Not ready", "The notifier is not reading alerts and order status yet");
                }
                ctx.json(Map.of("status", "READY"));
            });
            config.routes.exception(Refused.class, (e, ctx) -> problem(json, ctx, e.status, e.title, e.getMessage()));
            config.routes.exception(RequestGuard.Refused.class, (e, ctx) -> problem(json, ctx, e.status(), e.title(), e.getMessage()));
            config.routes.exception(SubscriptionRequest.Invalid.class, (e, ctx) -> problem(json, ctx, 400, e.title, e.getMessage()));
            config.routes.exception(HttpResponseException.class, (e, ctx) -> problem(json, ctx, e.getStatus(), "Request refused", e.getMessage()));
            // Kafka's text names brokers (host:port): it goes to the log under an error id, the client learns to try again.
            config.routes.exception(dev.omnistock.notify.persist.StateWriteFailed.class, (e, ctx) -> problem(json, ctx, 503, "Not now",
                    "The notifier cannot write its state now; try again later (the error is logged under id " + logged(ctx, e) + ")"));
            config.routes.exception(Exception.class, (e, ctx) -> problem(json, ctx, 500, "Internal error",
                    "The notifier failed to answer; the error is logged under id " + logged(ctx, e)));
            config.routes.error(404, ctx -> {
                if (!PROBLEM.equals(ctx.res().getContentType())) {
                    problem(json, ctx, 404, "Not found", "No such endpoint: " + ctx.method() + " " + ctx.path());
                }
            });
        });
    }

    public NotifierApi start() {
        server.start();
        return this;
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
    }

    private static SubscriptionRequest.Checked check(ObjectMapper json, Context ctx, TargetGuard targets) {
        Object body;
        try {
            body = json.readValue(ctx.bodyAsBytes(), Object.class);
        } catch (IOException e) {
            // Where, not the parser's text: that quotes the body back and names internals.
            JsonLocation at = e instanceof JsonProcessingException p ? p.getLocation() : null;
            throw new Refused(400, "Invalid body", "Expected a JSON object like {\"kind\": \"webhook\", \"target\": \"https://…\", "
                    + "\"filter\": {\"kinds\": [\"inventory.alert.*\"]}}" + (at == null ? "" : "; the JSON is malformed at line "
                    + at.getLineNr() + ", column " + at.getColumnNr()));
        }
        if (!(body instanceof Map<?, ?> map)) {
            throw new Refused(400, "Invalid body", "A subscription is a JSON object");
        }
        return SubscriptionRequest.check(map, targets);
    }

    private static Subscription known(Notifier notifier, Context ctx) {
        return notifier.subscription(ctx.pathParam("id")).orElseThrow(() -> notFound(ctx));
    }

    private static Refused notFound(Context ctx) {
        return new Refused(404, "Not found", "No " + (ctx.path().contains("/deliveries/") ? "delivery " : "subscription ")
                + ctx.pathParam("id") + " is known");
    }

    private static Delivery.Status status(String value) {
        try {
            return Delivery.Status.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new Refused(400, "Invalid status", "'status' is one of " + Arrays.toString(Delivery.Status.values()));
        }
    }

    private static int limit(Context ctx) {
        String value = ctx.queryParam("limit");
        try {
            int limit = value == null ? 100 : Integer.parseInt(value);
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new NumberFormatException();
            }
            return limit;
        } catch (NumberFormatException e) {
            throw new Refused(400, "Invalid limit", "'limit' is a number from 1 to " + MAX_LIMIT);
        }
    }

    private static String presentedKey(Context ctx) {
        String key = ctx.header("X-Api-Key");
        String authorization = ctx.header("Authorization");
        if (key == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            key = authorization.substring(7).trim();
        }
        return key;
    }

    /** Logs an error under a new id, for the problem to name instead of the error's own text. */
    private static String logged(Context ctx, Exception e) {
        String errorId = UUID.randomUUID().toString();
        log.error("Error {} answering {} {}", errorId, ctx.method(), ctx.path(), e);
        return errorId;
    }

    private static void problem(ObjectMapper json, Context ctx, int status, String title, String detail) {
        ctx.status(status).contentType(PROBLEM);
        try {
            ctx.result(json.writeValueAsBytes(new Problem("about:blank", title, status, detail, ctx.path())));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
