package dev.omnistock.dashboard;

import dev.omnistock.clickhouse.ClickHouseConnection;
import dev.omnistock.config.ApiKeys;
import dev.omnistock.config.Config;
import dev.omnistock.config.RequestGuard;
import dev.omnistock.config.Settings;
import dev.omnistock.dashboard.api.DashboardApi;
import dev.omnistock.dashboard.auth.Access;
import dev.omnistock.dashboard.auth.LoginThrottle;
import dev.omnistock.dashboard.auth.Sessions;
import dev.omnistock.dashboard.live.FeedRelay;
import dev.omnistock.dashboard.queries.QueryPack;
import dev.omnistock.dashboard.queries.QueryRunner;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the dashboard: its pages and JSON over the SQL pack (ClickHouse) and the inventory service's feed. */
public final class DashboardService {

    private static final Logger log = LoggerFactory.getLogger(DashboardService.class);
    /** The inventory service's API key, when it asks for one (a secret: environment only). */
    public static final String INVENTORY_API_KEY = "DASHBOARD_INVENTORY_API_KEY";
    /** The dashboard's own keys: programs send one, people enter one at /login.html (a secret: environment only). */
    public static final String API_KEYS = "DASHBOARD_API_KEYS";
    public static final String ALLOWED_HOSTS = "DASHBOARD_ALLOWED_HOSTS";

    public static final ConfigDef SETTINGS = new ConfigDef()
            .define("DASHBOARD_HTTP_HOST", Type.STRING, "127.0.0.1", new ConfigDef.NonEmptyString(), Importance.HIGH, "bind address")
            .define("DASHBOARD_HTTP_PORT", Type.INT, 8070, ConfigDef.Range.between(0, 65535), Importance.HIGH, "port")
            .define(ALLOWED_HOSTS, Type.LIST, "", Importance.HIGH, "names people and programs reach the dashboard by")
            .define("DASHBOARD_SESSION_HOURS", Type.INT, 12, ConfigDef.Range.between(1, 24 * 30), Importance.MEDIUM, "a login lasts this long")
            .define("DASHBOARD_INVENTORY_URL", Type.STRING, "http://127.0.0.1:8090", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "the inventory service's API")
            .define("DASHBOARD_FEED_MAX_CLIENTS", Type.INT, 50, ConfigDef.Range.between(1, 10_000), Importance.LOW, "live SKU feeds at once")
            .define("DASHBOARD_QUERY_TIMEOUT_SECONDS", Type.INT, 15, ConfigDef.Range.between(1, 600), Importance.LOW, "longest query");

    private DashboardService() {
    }

    public static Running start(Config config) {
        Settings settings = Settings.read(SETTINGS, config);
        String host = settings.string("DASHBOARD_HTTP_HOST");
        ApiKeys keys = ApiKeys.parse(config.secret(API_KEYS).orElse(""));
        RequestGuard.requireKeysBeyondLoopback("DASHBOARD_HTTP_HOST", host, API_KEYS, keys.isEmpty());
        Access access = new Access(keys, new Sessions(Duration.ofHours(settings.integer("DASHBOARD_SESSION_HOURS")), Clock.systemUTC()),
                new LoginThrottle(10, Duration.ofMinutes(10), Clock.systemUTC()));
        RequestGuard guard = RequestGuard.forService(ALLOWED_HOSTS, List.of(host), settings.list(ALLOWED_HOSTS));
        QueryPack pack = QueryPack.load();
        QueryRunner runner = new QueryRunner(ClickHouseConnection.from(config), settings.integer("DASHBOARD_QUERY_TIMEOUT_SECONDS"));
        FeedRelay feed = new FeedRelay(URI.create(settings.string("DASHBOARD_INVENTORY_URL")), config.secret(INVENTORY_API_KEY),
                settings.integer("DASHBOARD_FEED_MAX_CLIENTS"));
        DashboardApi api = new DashboardApi(host, settings.integer("DASHBOARD_HTTP_PORT"), guard, access, pack, runner, feed).start();
        log.info("Dashboard on http://{}:{} ({} queries of the SQL pack; {})", host, api.port(), pack.all().size(),
                access.open() ? "open: no DASHBOARD_API_KEYS" : "log in at /login.html");
        return new Running(api, feed);
    }

    /** The started dashboard; closing it stops the server and the feeds it relays. */
    public record Running(DashboardApi api, FeedRelay feed) implements AutoCloseable {
        public int port() {
            return api.port();
        }

        @Override
        public void close() {
            api.close();
            feed.close();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Running dashboard = start(Config.fromEnvironment());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dashboard.close();
            stopped.countDown();
        }, "dashboard-shutdown"));
        stopped.await();
    }
}
