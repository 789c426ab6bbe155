package dev.omnistock.ingestion.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnistock.events.Channel;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
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

    @Test
    void aRememberedAnswerIsGivenAgainButNotForAnotherBody() {
        Idempotency idempotency = new Idempotency(10);
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        idempotency.remember(Channel.WEB, "/v1/orders", "k", body, "{\"eventId\":\"x\"}");
        assertThat(idempotency.earlierAnswer(Channel.WEB, "/v1/orders", "k", body)).contains("{\"eventId\":\"x\"}");
        assertThatThrownBy(() -> idempotency.earlierAnswer(Channel.WEB, "/v1/orders", "k", "{\"a\":2}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.status).isEqualTo(422));
    }
}
