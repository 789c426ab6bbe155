package dev.omnistock.notify.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubscriptionTest {

    private static final String SLACK = "https://hooks.slack.com/services/T0001/B0002/XXXXsecretXXXX";
    private static final String SECRET = "whsec_c2VjcmV0LXNpZ25pbmcta2V5LWZvci10ZXN0cy0wMDAwMA==";

    private static Subscription of(Subscription.Kind kind, String target) {
        return new Subscription("s-1", new Subscription.Destination(kind, target), Subscription.Filter.ALL, List.of(SECRET), null,
                Instant.EPOCH, null, null, null);
    }

    @Test
    void targetsAreMaskedToSchemeAndHostOrTheMailDomain() {
        assertThat(of(Subscription.Kind.SLACK, SLACK).maskedTarget()).isEqualTo("https://hooks.slack.com/…");
        assertThat(of(Subscription.Kind.WEBHOOK, "https://app.example.com:8443/order-events?token=abc").maskedTarget())
                .isEqualTo("https://app.example.com/…");
        assertThat(of(Subscription.Kind.EMAIL, "buyers@example.com").maskedTarget()).isEqualTo("***@example.com");
        assertThat(of(Subscription.Kind.WEBHOOK, "not a url").maskedTarget()).isEqualTo("***");
    }

    @Test
    void itsTextShowsNeitherTheTargetNorTheSecrets() {
        Subscription rotated = of(Subscription.Kind.SLACK, SLACK).withNewSecret("whsec_bmV3LXNlY3JldA==", Instant.EPOCH, Duration.ofHours(1));
        assertThat(rotated.toString()).contains("s-1").contains("https://hooks.slack.com/…").doesNotContain("XXXXsecretXXXX")
                .doesNotContain("T0001").doesNotContain(SECRET).doesNotContain("whsec_").doesNotContain("bmV3LXNlY3JldA");
        assertThat(of(Subscription.Kind.EMAIL, "jane.doe@example.com").toString()).doesNotContain("jane.doe");
    }
}
