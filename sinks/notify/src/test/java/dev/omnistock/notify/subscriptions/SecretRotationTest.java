package dev.omnistock.notify.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnistock.notify.send.Signatures;
import dev.omnistock.notify.persist.StateCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rotations within NOTIFY_SECRET_OVERLAP_MS: every secret signs until its own overlap ends. */
class SecretRotationTest {

    private static final Instant T0 = Instant.parse("2026-12-05T12:00:00Z");
    private static final Duration OVERLAP = Duration.ofHours(24);

    private static Subscription subscription(String secret) {
        return new Subscription("s-1", new Subscription.Destination(Subscription.Kind.WEBHOOK, "https://receiver.example/hook"),
                Subscription.Filter.ALL, List.of(secret), null, T0, null, null, null);
    }

    @Test
    void severalRotationsWithinTheOverlapKeepEverySecretStillInItsOverlap() {
        String s0 = Signatures.newSecret();
        String s1 = Signatures.newSecret();
        String s2 = Signatures.newSecret();
        String s3 = Signatures.newSecret();
        Subscription rotated = subscription(s0)
                .withNewSecret(s1, T0, OVERLAP)
                .withNewSecret(s2, T0.plus(Duration.ofHours(1)), OVERLAP)
                .withNewSecret(s3, T0.plus(Duration.ofHours(2)), OVERLAP);

        assertThat(rotated.signingSecrets(T0.plus(Duration.ofHours(3)))).containsExactly(s3, s2, s1, s0);
        // s0 was replaced at T0: its overlap ends at T0 + 24 h; s1's at T0 + 25 h, s2's at T0 + 26 h.
        assertThat(rotated.signingSecrets(T0.plus(OVERLAP))).containsExactly(s3, s2, s1);
        assertThat(rotated.signingSecrets(T0.plus(Duration.ofHours(25)))).containsExactly(s3, s2);
        assertThat(rotated.signingSecrets(T0.plus(Duration.ofHours(26)))).containsExactly(s3);
        assertThat(rotated.previousSecretUntil()).isEqualTo(T0.plus(Duration.ofHours(26)));

        // A receiver that still holds s0 verifies what is sent during its overlap.
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        Instant at = T0.plus(Duration.ofHours(3));
        String header = Signatures.header(rotated.signingSecrets(at), "n-1", at.getEpochSecond(), body);
        assertThat(Signatures.verify(s0, "n-1", Long.toString(at.getEpochSecond()), body, header, at, Duration.ofMinutes(5))).isTrue();

        // A rotation after an overlap ended drops what no longer signs, and the state keeps the ends.
        Subscription later = rotated.withNewSecret(Signatures.newSecret(), T0.plus(Duration.ofHours(25)), OVERLAP);
        assertThat(later.secrets()).hasSize(3).doesNotContain(s0, s1);
        Subscription read = StateCodec.read(StateCodec.bytes(later), Subscription.class);
        assertThat(read).isEqualTo(later);
        assertThat(read.signingSecrets(T0.plus(Duration.ofHours(25)))).isEqualTo(later.signingSecrets(T0.plus(Duration.ofHours(25))));
    }

    @Test
    void aRecordWrittenBeforeEachSecretHadItsEndIsReadAsBefore() {
        String s0 = Signatures.newSecret();
        String s1 = Signatures.newSecret();
        String written = "{\"id\":\"s-1\",\"destination\":{\"kind\":\"WEBHOOK\",\"target\":\"https://receiver.example/hook\"},"
                + "\"filter\":{\"kinds\":[],\"skus\":[],\"skuPrefixes\":[],\"locations\":[],\"channels\":[]},"
                + "\"secrets\":[\"" + s1 + "\",\"" + s0 + "\"],\"previousSecretUntil\":\"" + T0.plus(OVERLAP) + "\",\"createdAt\":\"" + T0 + "\"}";
        Subscription read = StateCodec.read(written.getBytes(StandardCharsets.UTF_8), Subscription.class);
        assertThat(read.signingSecrets(T0.plus(Duration.ofHours(1)))).containsExactly(s1, s0);
        assertThat(read.signingSecrets(T0.plus(OVERLAP))).containsExactly(s1);
        String s2 = Signatures.newSecret();
        assertThat(read.withNewSecret(s2, T0.plus(Duration.ofHours(1)), OVERLAP).signingSecrets(T0.plus(Duration.ofHours(2))))
                .containsExactly(s2, s1, s0);
    }
}
