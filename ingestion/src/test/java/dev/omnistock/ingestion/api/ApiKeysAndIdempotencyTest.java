package dev.omnistock.ingestion.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnistock.events.Channel;
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
    void aKeyIsBoundToItsChannel() {
        ApiKeys keys = ApiKeys.parse("WEB:web-secret, MARKETPLACE:mp-secret");
        assertThat(keys.channelOf("web-secret")).contains(Channel.WEB);
        assertThat(keys.channelOf("mp-secret")).contains(Channel.MARKETPLACE);
        assertThat(keys.channelOf("guess")).isEmpty();
        assertThat(keys.channelOf(null)).isEmpty();
    }

    @Test
    void badKeyConfigurationSaysWhatToWrite() {
        assertThatThrownBy(() -> ApiKeys.parse("web-secret")).hasMessageContaining("CHANNEL:key");
        assertThatThrownBy(() -> ApiKeys.parse("FAX:x")).hasMessageContaining("unknown channel 'FAX'");
        assertThatThrownBy(() -> ApiKeys.parse("")).hasMessageContaining("is empty");
    }

    @Test
    void theSameKeyGivesTheSameEventIdAndAnotherKeyAnother() {
        var first = Idempotency.eventId(Channel.WEB, "/v1/orders", Optional.of("k-1"));
        assertThat(Idempotency.eventId(Channel.WEB, "/v1/orders", Optional.of("k-1"))).isEqualTo(first);
        assertThat(Idempotency.eventId(Channel.WEB, "/v1/orders", Optional.of("k-2"))).isNotEqualTo(first);
        assertThat(Idempotency.eventId(Channel.MOBILE_APP, "/v1/orders", Optional.of("k-1"))).isNotEqualTo(first);
        assertThat(Idempotency.eventId(Channel.WEB, "/v1/orders", Optional.empty())).isNotEqualTo(first);
    }

    private static final byte[] BODY = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

    @Test
    void anAnsweredKeyIsAnsweredAgainWithoutRunningButNotForAnotherBody() throws Exception {
        Idempotency idempotency = new Idempotency(10);
        AtomicInteger runs = new AtomicInteger();
        Callable<String> publish = () -> "{\"eventId\":\"x" + runs.incrementAndGet() + "\"}";
        assertThat(idempotency.once(Channel.WEB, "/v1/orders", "k", BODY, publish)).isEqualTo("{\"eventId\":\"x1\"}");
        assertThat(idempotency.once(Channel.WEB, "/v1/orders", "k", BODY.clone(), publish)).isEqualTo("{\"eventId\":\"x1\"}");
        assertThat(runs).hasValue(1);
        assertThatThrownBy(() -> idempotency.once(Channel.WEB, "/v1/orders", "k", "{\"a\":2}".getBytes(StandardCharsets.UTF_8), publish))
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
            Future<String> first = pool.submit(() -> idempotency.once(Channel.WEB, "/v1/orders", "k", BODY, slowPublish));
            assertThat(publishing.await(10, TimeUnit.SECONDS)).isTrue();
            Future<String> second = pool.submit(() -> idempotency.once(Channel.WEB, "/v1/orders", "k", BODY, slowPublish));
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
        assertThatThrownBy(() -> idempotency.once(Channel.WEB, "/v1/orders", "k", BODY, () -> {
            throw new IllegalStateException("Kafka is down");
        })).hasMessage("Kafka is down");
        assertThat(idempotency.once(Channel.WEB, "/v1/orders", "k", BODY, () -> "published")).isEqualTo("published");
    }

    @Test
    void theOldestKeysAreForgottenBeyondTheLimit() throws Exception {
        Idempotency idempotency = new Idempotency(2);
        AtomicInteger runs = new AtomicInteger();
        for (String key : List.of("a", "b", "c", "a")) {
            idempotency.once(Channel.WEB, "/v1/orders", key, BODY, () -> "run " + runs.incrementAndGet());
        }
        assertThat(runs).as("'a' was forgotten when 'c' came").hasValue(4);
    }
}
