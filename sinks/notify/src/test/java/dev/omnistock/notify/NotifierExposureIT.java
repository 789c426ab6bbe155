package dev.omnistock.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnistock.config.Config;
import dev.omnistock.testsupport.ExposureChecks;
import dev.omnistock.testsupport.FreePorts;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The notifier as infra/run starts it (no keys, loopback): no web page may subscribe or read through the operator's browser. */
@ExtendWith(RealStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotifierExposureIT {

    private static final String SUBSCRIPTION = "{\"kind\": \"webhook\", \"target\": \"http://127.0.0.1:9/hooks\"}";

    private NotifierService.Running notifier;
    private int port;

    @BeforeAll
    void start(RealStack stack, TestNamespace ns) throws Exception {
        port = FreePorts.one();
        notifier = NotifierService.start(Config.of(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers(),
                "SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl(),
                "OMNISTOCK_TOPIC_PREFIX", ns.topicPrefix(),
                "OMNISTOCK_TOPIC_PARTITIONS", "1",
                "NOTIFY_HTTP_PORT", Integer.toString(port),
                "NOTIFY_GROUP_ID", ns.topic("notifier"),
                "NOTIFY_ALLOWED_TARGET_HOSTS", "127.0.0.1",
                "NOTIFY_ALLOWED_HOSTS", "notifier.internal")));
    }

    @AfterAll
    void stop() {
        if (notifier != null) {
            notifier.close();
        }
    }

    @Test
    void aForeignHostAForeignOriginAndAPlainTextPostAreRefused() throws Exception {
        int before = notifier.notifier().subscriptions().size();
        ExposureChecks.assertRefusesBrowserAttacks(port, "/v1/subscriptions", Map.of());
        assertThat(notifier.notifier().subscriptions()).as("nothing was subscribed").hasSize(before);
    }

    @Test
    void aJsonPostFromTheServicesOwnNamesIsAccepted() throws Exception {
        ExposureChecks.Answer created = ExposureChecks.send(port, "POST", "/v1/subscriptions", Map.of("Host", "notifier.internal:" + port,
                "Origin", "http://127.0.0.1:" + port, "Content-Type", "application/json; charset=utf-8"), SUBSCRIPTION);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        ExposureChecks.Answer enabled = ExposureChecks.send(port, "POST", "/v1/subscriptions/" + created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1")
                + "/enable", Map.of("Host", "[::1]:" + port), null);
        assertThat(enabled.status()).as("an action without a body needs no type: " + enabled.body()).isEqualTo(200);
    }

    @Test
    void aPageOnAnotherLocalPortCannotSendABodilessAction() throws Exception {
        ExposureChecks.Answer created = ExposureChecks.send(port, "POST", "/v1/subscriptions", Map.of("Host", "127.0.0.1:" + port,
                "Content-Type", "application/json"), SUBSCRIPTION);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String rotate = "/v1/subscriptions/" + created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1") + "/rotate-secret";
        // fetch(url, {method: "POST", mode: "no-cors"}) from a dev server on localhost: no type, no preflight.
        ExposureChecks.Answer refused = ExposureChecks.send(port, "POST", rotate, Map.of("Host", "localhost:" + port,
                "Origin", "http://localhost:3000"), null);
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        ExposureChecks.Answer own = ExposureChecks.send(port, "POST", rotate, Map.of("Host", "localhost:" + port,
                "Origin", "http://localhost:" + port), null);
        assertThat(own.status()).as(own.body()).isEqualTo(200);
    }
}
