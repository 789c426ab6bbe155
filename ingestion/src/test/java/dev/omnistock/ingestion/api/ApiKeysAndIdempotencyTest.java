package dev.omnistock.ingestion.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnistock.events.Channel;
import dev.omnistock.events.KeyRole;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ApiKeysAndIdempotencyTest {

    @Test
    void aKeyIsHeldByAChannelAWarehouseOrAnAdmin() {
        ApiKeys keys = ApiKeys.parse("WEB:web-secret, MARKETPLACE:mp-secret,WAREHOUSE:wms-secret,ADMIN:admin-secret");
        assertThat(keys.senderOf("web-secret")).contains(new Sender(KeyRole.CHANNEL, Channel.WEB));
        assertThat(keys.senderOf("mp-secret")).contains(new Sender(KeyRole.CHANNEL, Channel.MARKETPLACE));
        assertThat(keys.senderOf("wms-secret")).contains(new Sender(KeyRole.WAREHOUSE, Channel.WAREHOUSE));
        assertThat(keys.senderOf("admin-secret")).contains(new Sender(KeyRole.ADMIN, Channel.UNKNOWN));
        assertThat(keys.senderOf("guess")).isEmpty();
        assertThat(keys.senderOf(null)).isEmpty();
    }

    @Test
    void badKeyConfigurationSaysWhatToWrite() {
        assertThatThrownBy(() -> ApiKeys.parse("web-secret")).hasMessageContaining("ROLE:key").hasMessageNotContaining("web-secret");
        assertThatThrownBy(() -> ApiKeys.parse("FAX:x")).hasMessageContaining("'FAX' is not a role");
        assertThatThrownBy(() -> ApiKeys.parse("UNKNOWN:x")).hasMessageContaining("'UNKNOWN' is not a role");
        assertThatThrownBy(() -> ApiKeys.parse("")).hasMessageContaining("is empty");
    }

    @Test
    void eachRoleMayDoWhatTheReadmeTableSays() {
        Sender web = new Sender(KeyRole.CHANNEL, Channel.WEB);
        Sender warehouse = new Sender(KeyRole.WAREHOUSE, Channel.WAREHOUSE);
        Sender admin = new Sender(KeyRole.ADMIN, Channel.UNKNOWN);
        assertThat(allowed(web)).containsExactly(Permission.PLACE_ORDERS, Permission.CANCEL_ORDERS, Permission.SHIP_ORDERS,
                Permission.TAKE_RETURNS);
        assertThat(allowed(warehouse)).containsExactly(Permission.SHIP_ORDERS, Permission.TAKE_RETURNS, Permission.MOVE_STOCK);
        assertThat(allowed(admin)).containsExactly(Permission.CANCEL_ORDERS, Permission.SHIP_ORDERS, Permission.TAKE_RETURNS,
                Permission.MOVE_STOCK, Permission.CHANGE_SETTINGS);
        assertThatThrownBy(() -> Permission.MOVE_STOCK.check(web))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.status).isEqualTo(403))
                .hasMessage("This WEB channel key may not post stock movements; that takes a WAREHOUSE or ADMIN key (INGESTION_API_KEYS)");
    }

    private static List<Permission> allowed(Sender sender) {
        return java.util.Arrays.stream(Permission.values()).filter(p -> {
            try {
                p.check(sender);
                return true;
            } catch (ProblemException e) {
                return false;
            }
        }).toList();
    }

    @Test
    void theSameKeyGivesTheSameEventIdAndAnotherKeyAnother() {
        var first = Idempotency.eventId("key-a", "/v1/orders", Optional.of("k-1"));
        assertThat(Idempotency.eventId("key-a", "/v1/orders", Optional.of("k-1"))).isEqualTo(first);
        assertThat(Idempotency.eventId("key-a", "/v1/orders", Optional.of("k-2"))).isNotEqualTo(first);
        assertThat(Idempotency.eventId("key-b", "/v1/orders", Optional.of("k-1"))).isNotEqualTo(first);
        assertThat(Idempotency.eventId("key-a", "/v1/orders", Optional.empty())).isNotEqualTo(first);
    }

    private static final byte[] BODY = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

    @Test
    void anAnsweredKeyIsAnsweredAgainWithoutRunningButNotForAnotherBody() throws Exception {
        Idempotency idempotency = new Idempotency(10);
        AtomicInteger runs = new AtomicInteger();
        Callable<String> publish = () -> "{\"eventId\":\"x" + runs.incrementAndGet() + "\"}";
        assertThat(idempotency.once("key-a", "/v1/orders", "k", BODY, publish)).isEqualTo("{\"eventId\":\"x1\"}");
        assertThat(idempotency.once("key-a", "/v1/orders", "k", BODY.clone(), publish)).isEqualTo("{\"eventId\":\"x1\"}");
        assertThat(runs).hasValue(1);
        assertThatThrownBy(() -> idempotency.once("key-a", "/v1/orders", "k", "{\"a\":2}".getBytes(StandardCharsets.UTF_8), publish))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.status).isEqualTo(422));
    }

    @Test
    void concurrentRequestsWithOneKeyRunOnce() throws Exception {
        Idempotency idempotency = new Idempotency(10);
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch publishing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Callable<String> slowPublish = () -> {
            runs.incrementAndGet();
            publishing.countDown();
            assertThat(release.await(10, TimeUnit.SECONDS)).isTrue(); // the other request arrives meanwhile
            return "answer";
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<String> first = pool.submit(() -> idempotency.once("key-a", "/v1/orders", "k", BODY, slowPublish));
            assertThat(publishing.await(10, TimeUnit.SECONDS)).isTrue();
            Future<String> second = pool.submit(() -> idempotency.once("key-a", "/v1/orders", "k", BODY, slowPublish));
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("answer");
            assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("answer");
            assertThat(runs).hasValue(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedRequestIsForgottenSoThatItsRetryRuns() throws Exception {
        Idempotency idempotency = new Idempotency(10);
        assertThatThrownBy(() -> idempotency.once("key-a", "/v1/orders", "k", BODY, () -> {
            throw new IllegalStateException("Kafka is down");
        })).hasMessage("Kafka is down");
        assertThat(idempotency.once("key-a", "/v1/orders", "k", BODY, () -> "published")).isEqualTo("published");
    }

    @Test
    void theOldestKeysAreForgottenBeyondTheLimit() throws Exception {
        Idempotency idempotency = new Idempotency(2);
        AtomicInteger runs = new AtomicInteger();
        for (String key : List.of("a", "b", "c", "a")) {
            idempotency.once("key-a", "/v1/orders", key, BODY, () -> "run " + runs.incrementAndGet());
        }
        assertThat(runs).as("'a' was forgotten when 'c' came").hasValue(4);
    }
}
