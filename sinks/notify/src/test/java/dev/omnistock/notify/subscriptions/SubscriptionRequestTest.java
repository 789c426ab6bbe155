package dev.omnistock.notify.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnistock.notify.notices.Notice;
import dev.omnistock.notify.send.TargetGuard;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SubscriptionRequestTest {

    private static final TargetGuard GUARD = TargetGuard.allowing(List.of("127.0.0.1", "receiver.internal"));

    private static SubscriptionRequest.Checked check(Map<?, ?> body) {
        return SubscriptionRequest.check(body, GUARD);
    }

    private static Notice notice(String kind, String sku, String location, String channel) {
        return new Notice("n-1", kind, Instant.EPOCH, List.of(sku), location == null ? List.of() : List.of(location), channel, "s", Map.of());
    }

    @Test
    void aWebhookWithFiltersIsAccepted() {
        SubscriptionRequest.Checked checked = check(Map.of("kind", "webhook", "target", "https://hooks.example.com/x",
                "filter", Map.of("kinds", List.of("inventory.alert.*"), "skuPrefixes", List.of("SKU-"), "locations", List.of("DC-1"))));
        assertThat(checked.destination()).isEqualTo(new Subscription.Destination(Subscription.Kind.WEBHOOK, "https://hooks.example.com/x"));
        assertThat(checked.filter().matches(notice("inventory.alert.low_stock", "SKU-1", "DC-1", null))).isTrue();
        assertThat(checked.filter().matches(notice("inventory.alert.low_stock", "SKU-1", "DC-2", null))).as("another location").isFalse();
        assertThat(checked.filter().matches(notice("inventory.alert.low_stock", "ABC-1", "DC-1", null))).as("another SKU").isFalse();
        assertThat(checked.filter().matches(notice("order.status.shipped", "SKU-1", "DC-1", "WEB"))).as("another kind").isFalse();
    }

    @Test
    void aCustomerNoticeSubscriptionFollowsOneChannel() {
        Subscription.Filter filter = check(Map.of("kind", "email", "target", "customer-care@example.com",
                "filter", Map.of("kinds", List.of("order.status.*"), "channels", List.of("MOBILE_APP")))).filter();
        assertThat(filter.matches(notice("order.status.shipped", "SKU-1", null, "MOBILE_APP"))).isTrue();
        assertThat(filter.matches(notice("order.status.shipped", "SKU-1", null, "WEB"))).isFalse();
    }

    @Test
    void badRequestsSayWhatIsWrong() {
        assertThatThrownBy(() -> check(Map.of("kind", "webhook", "target", "not a url")))
                .isInstanceOf(SubscriptionRequest.Invalid.class).hasFieldOrPropertyWithValue("title", "Invalid URL");
        assertThatThrownBy(() -> check(Map.of("kind", "webhook", "target", "ftp://example.com/x")))
                .hasFieldOrPropertyWithValue("title", "Invalid URL");
        assertThatThrownBy(() -> check(Map.of("kind", "pager", "target", "https://example.com")))
                .hasFieldOrPropertyWithValue("title", "Unknown destination kind");
        assertThatThrownBy(() -> check(Map.of("kind", "email", "target", "not-an-address")))
                .hasFieldOrPropertyWithValue("title", "Invalid e-mail address");
        assertThatThrownBy(() -> check(Map.of("kind", "slack", "target", "https://hooks.slack.com/x",
                "filter", Map.of("kinds", List.of("inventory.alert.low_stok")))))
                .hasFieldOrPropertyWithValue("title", "Unknown event kind").hasMessageContaining("inventory.alert.low_stock");
        assertThatThrownBy(() -> check(Map.of("kind", "slack", "target", "https://hooks.slack.com/x",
                "filter", Map.of("skus", "SKU-1"))))
                .hasFieldOrPropertyWithValue("title", "Malformed filter");
        assertThatThrownBy(() -> check(Map.of("kind", "slack", "target", "https://hooks.slack.com/x",
                "filter", Map.of("colour", List.of("red")))))
                .hasFieldOrPropertyWithValue("title", "Malformed filter");
    }

    @Test
    void httpAndLiteralNonPublicAddressesAreRefusedForHostsNotAllowListed() {
        for (String target : List.of("http://hooks.example.com/x", "https://127.1.2.3/x", "https://10.0.0.1/x", "https://169.254.169.254/latest",
                "https://[::ffff:127.0.0.1]/x", "https://[::1]:8060/v1/subscriptions")) {
            for (String kind : List.of("webhook", "slack")) {
                assertThatThrownBy(() -> check(Map.of("kind", kind, "target", target))).as(kind + " " + target)
                        .isInstanceOf(SubscriptionRequest.Invalid.class).hasFieldOrPropertyWithValue("title", "Target not allowed")
                        .hasMessageStartingWith("'target' ");
            }
        }
    }

    @Test
    void allowListedHostsMayBeReachedOverHttp() {
        assertThat(check(Map.of("kind", "webhook", "target", "http://127.0.0.1:9099/hooks")).destination().target())
                .isEqualTo("http://127.0.0.1:9099/hooks");
        assertThat(check(Map.of("kind", "slack", "target", "http://receiver.internal/slack")).destination().kind())
                .isEqualTo(Subscription.Kind.SLACK);
    }

    @Test
    void refusalsDoNotRepeatTheTargetNorAParsersText() {
        String slackUrl = "https://hooks.slack.com/services/T000/B000/secret part";
        assertThatThrownBy(() -> check(Map.of("kind", "slack", "target", slackUrl)))
                .hasFieldOrPropertyWithValue("title", "Invalid URL").message().doesNotContain("secret").doesNotContain("T000")
                .doesNotContain("Illegal character");
        assertThatThrownBy(() -> check(Map.of("kind", "email", "target", "buyers at example.com")))
                .hasFieldOrPropertyWithValue("title", "Invalid e-mail address").message().doesNotContain("buyers");
    }
}
