package dev.omnistock.notify;

import dev.omnistock.config.ApiKeys;
import dev.omnistock.config.Config;
import dev.omnistock.config.KafkaConnection;
import dev.omnistock.config.RequestGuard;
import dev.omnistock.config.SchemaRegistryConnection;
import dev.omnistock.config.Settings;
import dev.omnistock.notify.api.NotifierApi;
import dev.omnistock.notify.delivery.RetrySchedule;
import dev.omnistock.notify.send.EmailSender;
import dev.omnistock.notify.send.HttpSender;
import dev.omnistock.notify.send.Sender;
import dev.omnistock.notify.send.TargetGuard;
import dev.omnistock.notify.subscriptions.Subscription;
import dev.omnistock.serde.SchemaRegistry;
import dev.omnistock.topics.TopicProvisioner;
import dev.omnistock.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the notifier: provisions its topics, reads its state back, delivers, and serves its API until stopped. */
public final class NotifierService {

    private static final Logger log = LoggerFactory.getLogger(NotifierService.class);
    public static final String API_KEYS = "NOTIFY_API_KEYS";
    public static final String ALLOWED_HOSTS = "NOTIFY_ALLOWED_HOSTS";
    public static final String SMTP_PASSWORD = "NOTIFY_SMTP_PASSWORD";

    public static final ConfigDef SETTINGS = new ConfigDef()
            .define("NOTIFY_HTTP_HOST", Type.STRING, "127.0.0.1", new ConfigDef.NonEmptyString(), Importance.HIGH, "bind address")
            .define("NOTIFY_HTTP_PORT", Type.INT, 8060, ConfigDef.Range.between(0, 65535), Importance.HIGH, "port")
            .define(ALLOWED_HOSTS, Type.LIST, "", Importance.HIGH, "names clients reach the API by, besides the bind address and loopback")
            .define("NOTIFY_GROUP_ID", Type.STRING, "omnistock-notifier", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "consumer group reading alerts and order status")
            .define("NOTIFY_INSTANCE_ID", Type.STRING, Notifier.INSTANCE_ID, new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "this node's name in the group; nodes with different names share the input")
            .define("NOTIFY_SESSION_TIMEOUT_MS", Type.INT, (int) Notifier.SESSION_TIMEOUT.toMillis(), ConfigDef.Range.between(6_000, 1_800_000),
                    Importance.LOW, "a node silent this long loses its input partitions to the others")
            .define("NOTIFY_RETRY_SCHEDULE", Type.STRING, RetrySchedule.DEFAULT, new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "delay before each attempt, from the previous one")
            .define("NOTIFY_DISABLE_AFTER_MS", Type.LONG, Duration.ofDays(5).toMillis(), ConfigDef.Range.atLeast(1_000), Importance.MEDIUM,
                    "a subscription whose endpoint fails this long without a success is disabled")
            .define("NOTIFY_TIMEOUT_MS", Type.INT, 10_000, ConfigDef.Range.between(100, 600_000), Importance.MEDIUM,
                    "an answer later than this is a failure")
            .define("NOTIFY_SECRET_OVERLAP_MS", Type.LONG, Duration.ofHours(24).toMillis(), ConfigDef.Range.atLeast(0), Importance.LOW,
                    "after a rotation, the previous secret signs too for this long")
            .define("NOTIFY_DELIVERY_RETENTION_MS", Type.LONG, Notifier.DELIVERY_RETENTION.toMillis(), ConfigDef.Range.atLeast(1_000),
                    Importance.LOW, "a delivery delivered or given up this long ago is dropped")
            .define("NOTIFY_WORKERS", Type.INT, 8, ConfigDef.Range.between(1, 512), Importance.LOW,
                    "deliveries at once (a slow endpoint holds one)")
            .define("NOTIFY_SMTP_HOST", Type.STRING, "127.0.0.1", new ConfigDef.NonEmptyString(), Importance.MEDIUM, "SMTP server")
            .define("NOTIFY_SMTP_PORT", Type.INT, 25, ConfigDef.Range.between(1, 65535), Importance.MEDIUM, "SMTP port")
            .define("NOTIFY_SMTP_FROM", Type.STRING, "omnistock@localhost", new ConfigDef.NonEmptyString(), Importance.MEDIUM, "sender address")
            .define("NOTIFY_SMTP_USER", Type.STRING, "", Importance.LOW, "SMTP login; empty for none")
            .define("NOTIFY_SMTP_TLS", Type.STRING, "none", ConfigDef.ValidString.in("none", "starttls", "smtps"), Importance.MEDIUM,
                    "none, starttls (required) or smtps; a login needs one of the latter")
            .define(TargetGuard.ALLOWED_HOSTS_SETTING, Type.LIST, "", Importance.MEDIUM,
                    "hosts subscriptions may reach over http or at a non-public address, comma-separated");

    private NotifierService() {
    }

    /** The started notifier; closing it stops the API, then delivery. */
    public record Running(Notifier notifier, NotifierApi api) implements AutoCloseable {
        public int port() {
            return api.port();
        }

        @Override
        public void close() {
            api.close();
            notifier.close();
        }
    }

    public static Running start(Config config) throws Exception {
        TargetGuard.keepResolvedAnswers();
        Settings settings = Settings.read(SETTINGS, config);
        String host = settings.string("NOTIFY_HTTP_HOST");
        ApiKeys keys = ApiKeys.parse(config.secret(API_KEYS).orElse(""));
        RequestGuard.requireKeysBeyondLoopback("NOTIFY_HTTP_HOST", host, API_KEYS, keys.isEmpty());
        Duration timeout = Duration.ofMillis(settings.integer("NOTIFY_TIMEOUT_MS"));
        String smtpUser = settings.string("NOTIFY_SMTP_USER");
        EmailSender.Smtp smtp = new EmailSender.Smtp(settings.string("NOTIFY_SMTP_HOST"), settings.integer("NOTIFY_SMTP_PORT"),
                settings.string("NOTIFY_SMTP_FROM"), smtpUser.isBlank() ? null : smtpUser, config.secret(SMTP_PASSWORD).orElse(null),
                EmailSender.Tls.valueOf(settings.string("NOTIFY_SMTP_TLS").toUpperCase(Locale.ROOT)), timeout);
        TargetGuard targets = TargetGuard.allowing(settings.list(TargetGuard.ALLOWED_HOSTS_SETTING));
        Topics topics = Topics.from(config);
        Map<String, Object> kafka = provision(config, topics);
        String instance = settings.string("NOTIFY_INSTANCE_ID");
        HttpSender http = new HttpSender(timeout, targets, instance);
        Map<Subscription.Kind, Sender> senders = Map.of(Subscription.Kind.WEBHOOK, http, Subscription.Kind.SLACK, http,
                Subscription.Kind.EMAIL, new EmailSender(smtp));
        Duration overlap = Duration.ofMillis(settings.longValue("NOTIFY_SECRET_OVERLAP_MS"));
        Notifier.Settings behaviour = new Notifier.Settings(RetrySchedule.parse(settings.string("NOTIFY_RETRY_SCHEDULE")),
                Duration.ofMillis(settings.longValue("NOTIFY_DISABLE_AFTER_MS")), overlap, settings.integer("NOTIFY_WORKERS"),
                settings.string("NOTIFY_GROUP_ID"), Duration.ofMillis(settings.longValue("NOTIFY_DELIVERY_RETENTION_MS")),
                // A notifier this one fences stops starting attempts within a heartbeat or the poll bound, and ends them within the timeout.
                Notifier.takeOverWait(timeout), instance, Duration.ofMillis(settings.integer("NOTIFY_SESSION_TIMEOUT_MS")));
        Notifier notifier = new Notifier(topics, kafka, behaviour, senders, Clock.systemUTC()).start();
        NotifierApi api = new NotifierApi(notifier, host, settings.integer("NOTIFY_HTTP_PORT"), keys,
                RequestGuard.forService(ALLOWED_HOSTS, List.of(host), settings.list(ALLOWED_HOSTS)), overlap, targets, Clock.systemUTC()).start();
        log.info("Notifier on http://{}:{}: retries {}, e-mail through {}", host, api.port(), behaviour.schedule().delays(), smtp);
        return new Running(notifier, api);
    }

    /** Makes the notifier's topics where missing; returns the Kafka and registry settings of its clients. */
    static Map<String, Object> provision(Config config, Topics topics) throws Exception {
        Map<String, Object> kafka = new HashMap<>(KafkaConnection.from(config).clientProperties());
        Map<String, Object> registry = SchemaRegistryConnection.from(config).serdeConfig();
        kafka.putAll(registry);
        try (Admin admin = Admin.create(KafkaConnection.from(config).clientProperties())) {
            new TopicProvisioner(admin, SchemaRegistry.connect(registry)).provision(List.of(topics.inventoryAlerts(), topics.orderStatus(),
                    topics.notifySubscriptions(), topics.notifyDeliveries(), topics.notificationAttempts(), topics.deadLetters()));
        }
        return kafka;
    }

    public static void main(String[] args) throws Exception {
        Running notifier = start(Config.fromEnvironment());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            notifier.close();
            stopped.countDown();
        }, "notifier-shutdown"));
        stopped.await();
    }
}
