package dev.omnistock.notify.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignaturesTest {

    /** The specification's own example (secret, id, timestamp, body and signature). */
    @Test
    void signsAsTheStandardWebhooksExampleDoes() {
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        byte[] body = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
        assertThat(Signatures.header(List.of(secret), "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void whileASecretRotatesBothSignAndEitherVerifies() {
        String newer = Signatures.newSecret();
        String older = Signatures.newSecret();
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        Instant now = Instant.parse("2026-12-05T12:00:00Z");
        String header = Signatures.header(List.of(newer, older), "n-1", now.getEpochSecond(), body);
        assertThat(header.split(" ")).hasSize(2).allMatch(s -> s.startsWith("v1,"));
        String timestamp = Long.toString(now.getEpochSecond());
        assertThat(Signatures.verify(newer, "n-1", timestamp, body, header, now, Duration.ofMinutes(5))).isTrue();
        assertThat(Signatures.verify(older, "n-1", timestamp, body, header, now, Duration.ofMinutes(5))).isTrue();
        assertThat(Signatures.verify(Signatures.newSecret(), "n-1", timestamp, body, header, now, Duration.ofMinutes(5))).isFalse();
    }

    @Test
    void aChangedBodyAnOtherIdOrAnOldTimestampDoNotVerify() {
        String secret = Signatures.newSecret();
        Instant now = Instant.parse("2026-12-05T12:00:00Z");
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        String header = Signatures.header(List.of(secret), "n-1", now.getEpochSecond(), body);
        String timestamp = Long.toString(now.getEpochSecond());
        assertThat(Signatures.verify(secret, "n-1", timestamp, "{\"a\":2}".getBytes(StandardCharsets.UTF_8), header, now, Duration.ofMinutes(5)))
                .isFalse();
        assertThat(Signatures.verify(secret, "n-2", timestamp, body, header, now, Duration.ofMinutes(5))).isFalse();
        assertThat(Signatures.verify(secret, "n-1", timestamp, body, header, now.plusSeconds(600), Duration.ofMinutes(5))).isFalse();
    }

    @Test
    void newSecretsAreRandomAndCarryThePrefix() {
        assertThat(Signatures.newSecret()).startsWith("whsec_").isNotEqualTo(Signatures.newSecret());
    }
}
