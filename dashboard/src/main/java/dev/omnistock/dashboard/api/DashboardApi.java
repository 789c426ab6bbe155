package dev.omnistock.dashboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnistock.ids.Ids;
import dev.omnistock.config.RequestGuard;
import dev.omnistock.dashboard.auth.Access;
import dev.omnistock.dashboard.live.FeedRelay;
import dev.omnistock.dashboard.queries.NamedQuery;
import dev.omnistock.dashboard.queries.QueryPack;
import dev.omnistock.dashboard.queries.QueryRunner;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's HTTP side: its pages, the SQL pack's queries by name (the browser never sends SQL),
 * and a SKU's availability and live feed from the inventory service. Errors are RFC 7807 problems and
 * never carry ClickHouse's own text.
 */
public final class DashboardApi implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DashboardApi.class);
    private static final String PROBLEM = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Javalin server;

    public DashboardApi(String host, int port, RequestGuard guard, Access access, QueryPack pack, QueryRunner runner, FeedRelay feed) {
        this.server = Javalin.create(config -> {
            config.jetty.host = host;
            config.jetty.port = port;
            config.staticFiles.add("/public", Location.CLASSPATH);
            config.staticFiles.enableWebjars();
            config.routes.before(ctx -> guard.check(ctx.method().name(), ctx.path(), ctx::header));
            config.routes.before(ctx -> {
                switch (access.decide(ctx.path(), presentedKey(ctx), ctx.cookie(Access.COOKIE), ctx.ip())) {
                    case ALLOW -> { }
                    case TOO_MANY_ATTEMPTS -> tooManyAttempts(ctx, access);
                    case LOGIN -> throw new LoginRequired(ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString()));
                    case UNAUTHORIZED -> {
                        ctx.header("WWW-Authenticate", "Bearer");
                        throw new ProblemException(401, "Unauthorized", "Log in at /login.html, or send a key of DASHBOARD_API_KEYS as"
                                + " 'X-Api-Key: <key>' or 'Authorization: Bearer <key>'", Map.of());
                    }
                }
            });
            // A person enters a key once; the session cookie stands for it from then on.
            config.routes.post("/login", ctx -> {
                tooManyAttempts(ctx, access);
                String token = access.login(loginKey(ctx), ctx.ip()).orElseThrow(() -> access.open()
                        ? new ProblemException(404, "No login", "This dashboard has no keys (DASHBOARD_API_KEYS): it needs no login", Map.of())
                        : new ProblemException(401, "Wrong key", "That is not a key of this dashboard", Map.of("key", "must be a key of DASHBOARD_API_KEYS")));
                boolean secure = "https".equals(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
                ctx.header("Set-Cookie", access.cookie(token, secure)).header("Cache-Control", "no-store").status(204);
            });
            config.routes.post("/logout", ctx -> {
                access.logout(ctx.cookie(Access.COOKIE));
                ctx.header("Set-Cookie", Access.expiredCookie()).status(204);
            });
            config.routes.get("/api/queries", ctx -> ctx.json(pack.all().stream().map(DashboardApi::describe).toList()));
            config.routes.get("/api/queries/{name}", ctx -> {
                NamedQuery query = pack.find(ctx.pathParam("name")).orElseThrow(() -> new ProblemException(404, "Unknown query",
                        "No query '" + ctx.pathParam("name") + "' in the SQL pack; GET /api/queries lists them", Map.of()));
                Map<String, String> given = new LinkedHashMap<>();
                ctx.queryParamMap().forEach((name, values) -> given.put(name, values.get(values.size() - 1)));
                List<Object> values;
                try {
                    values = query.bind(given);
                } catch (NamedQuery.InvalidParameters e) {
                    throw new ProblemException(400, "Invalid parameters", e.getMessage(), e.problems());
                }
                ctx.json(runner.run(query, values));
            });
            config.routes.get("/api/skus/{sku}/availability", ctx -> {
                HttpResponse<String> answer = feed.availability(sku(ctx));
                ctx.status(answer.statusCode()).contentType(answer.headers().firstValue("Content-Type").orElse("application/json"))
                        .result(answer.body());
            });
            config.routes.before("/api/skus/{sku}/feed", DashboardApi::sku);
            config.routes.sse("/api/skus/{sku}/feed", client -> {
                if (!feed.relay(client, client.ctx().pathParam("sku"))) {
                    client.sendEvent("feed-error", "Too many live feeds are open on this dashboard; try again later");
                    client.close();
                }
            });
            config.routes.get("/health/live", ctx -> ctx.json(Map.of("status", "UP")));
            config.routes.exception(ProblemException.class, (e, ctx) -> problem(ctx, e.status, e.title, e.getMessage(), e.errors));
            config.routes.exception(RequestGuard.Refused.class, (e, ctx) -> problem(ctx, e.status(), e.title(), e.getMessage(), Map.of()));
            config.routes.exception(LoginRequired.class, (e, ctx) -> ctx.status(303)
                    .header("Location", "/login.html?next=" + URLEncoder.encode(e.getMessage(), StandardCharsets.UTF_8)));
            config.routes.exception(SQLException.class, (e, ctx) -> {
                String errorId = UUID.randomUUID().toString();
                log.warn("ClickHouse did not answer {} (error {}): {}", ctx.path(), errorId, e.toString());
                boolean noTables = e.getErrorCode() == 60 || String.valueOf(e.getMessage()).contains("UNKNOWN_TABLE");
                problem(ctx, 503, "Figures unavailable", noTables
                        ? "The analytics tables do not exist yet: the analytics job creates them when it starts (error id " + errorId + ")"
                        : "ClickHouse did not answer; try again shortly (error id " + errorId + ")", Map.of());
            });
            config.routes.exception(IOException.class, (e, ctx) -> {
                String errorId = UUID.randomUUID().toString();
                log.warn("The inventory service did not answer {} (error {}): {}", ctx.path(), errorId, e.toString());
                problem(ctx, 503, "Availability unavailable", "The inventory service did not answer; try again shortly (error id "
                        + errorId + ")", Map.of());
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                String errorId = UUID.randomUUID().toString();
                String request;
                try {
                    request = ctx.method() + " " + ctx.path();
                } catch (RuntimeException gone) {
                    // A live feed's request that ended before its relay did: nobody is left to answer.
                    log.debug("A closed feed request failed: {}", e.toString());
                    return;
                }
                log.error("Error {} answering {}", errorId, request, e);
                problem(ctx, 500, "Internal error", "The dashboard failed to answer; the error is logged under id " + errorId, Map.of());
            });
            config.routes.error(404, ctx -> {
                if (!PROBLEM.equals(ctx.res().getContentType())) {
                    problem(ctx, 404, "Not found", "No such page or endpoint: " + ctx.path(), Map.of());
                }
            });
        });
    }

    public DashboardApi start() {
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

    /** 429 while the client's address must wait after too many wrong keys (at /login or as a header). */
    private static void tooManyAttempts(Context ctx, Access access) {
        access.loginWait(ctx.ip()).ifPresent(wait -> {
            long seconds = Math.max(1, wait.toSeconds());
            ctx.header("Retry-After", Long.toString(seconds));
            throw new ProblemException(429, "Too many attempts", "Too many wrong keys from this address; try again in "
                    + seconds + " s", Map.of());
        });
    }

    private static String presentedKey(Context ctx) {
        String authorization = ctx.header("Authorization");
        return ctx.header("X-Api-Key") != null ? ctx.header("X-Api-Key")
                : authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).trim() : null;
    }

    private static String loginKey(Context ctx) {
        try {
            JsonNode body = JSON.readTree(ctx.bodyAsBytes());
            if (body != null && body.get("key") != null && body.get("key").isTextual()) {
                return body.get("key").asText();
            }
        } catch (IOException e) {
            // answered below, as a body without a key
        }
        throw new ProblemException(400, "Invalid body", "Send the key as JSON: {\"key\": \"...\"}", Map.of("key", "must be a string"));
    }

    /** A page asked for without a login: the login page, which comes back to it afterwards. */
    private static final class LoginRequired extends RuntimeException {
        LoginRequired(String target) {
            super(target, null, false, false);
        }
    }

    private static String sku(Context ctx) {
        String sku = ctx.pathParam("sku");
        if (!Ids.valid(sku)) {
            throw new ProblemException(400, "Invalid SKU", "'" + sku + "' is not a SKU", Map.of("sku", "must be " + Ids.FORM));
        }
        return sku;
    }

    private static Map<String, Object> describe(NamedQuery query) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", query.name());
        out.put("description", query.description());
        out.put("parameters", query.parameters().stream().map(p -> Map.of("name", p.name(), "type", p.kind().name().toLowerCase(), "allowed", p.describe())).toList());
        out.put("maxRangeHours", query.maxRange().toHours());
        return out;
    }

    private static void problem(Context ctx, int status, String title, String detail, Map<String, String> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", ctx.path());
        if (!errors.isEmpty()) {
            body.put("errors", errors.entrySet().stream().map(e -> Map.of("field", e.getKey(), "message", e.getValue())).toList());
        }
        try {
            ctx.status(status).contentType(PROBLEM).result(JSON.writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A request the dashboard refuses, with the parameters at fault. */
    static final class ProblemException extends RuntimeException {
        final int status;
        final String title;
        final Map<String, String> errors;

        ProblemException(int status, String title, String detail, Map<String, String> errors) {
            super(detail);
            this.status = status;
            this.title = title;
            this.errors = errors;
        }
    }
}
