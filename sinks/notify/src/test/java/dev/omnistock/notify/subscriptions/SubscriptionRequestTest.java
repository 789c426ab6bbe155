package dev.omnistock.notify.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnistock.notify.notices.Notice;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SubscriptionRequestTest {

    private static Notice notice(String kind, String sku, String location, String channel) {
        return new Notice("n-1", kind, Instant.EPOCH, List.of(sku), location == null ? List.of() : List.of(location), channel, "s", Map.of());
    }

    @Test
    void aWebhookWithFiltersIsAccepted() {
        SubscriptionRequest.Checked checked = SubscriptionRequest.check(Map.of("kind", "webhook", "target", "https://hooks.example.com/x",
                "filter", Map.of("kinds", List.of("inventory.alert.*"), "skuPrefixes", List.of("SKU-"), "locations", List.of("DC-1"))));
        assertThat(checked.destination()).isEqualTo(new Subscription.Destination(Subscription.Kind.WEBHOOK, "https://hooks.example.com/x"));
        assertThat(checked.filter().matches(notice("inventory.alert.low_stock", "SKU-1", "DC-1", null))).isTrue();
        assertThat(checked.filter().matches(notice("inventory.alert.low_stock", "SKU-1", "DC-2", null))).as("another location").isFalse();
        assertThat(checked.filter().matches(notice("inventory.alert.low_stock", "ABC-1", "DC-1", null))).as("another SKU").isFalse();
        assertThat(checked.filter().matches(notice("order.status.shipped", "SKU-1", "DC-1", "WEB"))).as("another kind").isFalse();
    }

    @Test
    void aCustomerNoticeSubscriptionFollowsOneChannel() {
        Subscription.Filter filter = SubscriptionRequest.check(Map.of("kind", "email", "target", "customer-care@example.com",
                "filter", Map.of("kinds", List.of("order.status.*"), "channels", List.of("MOBILE_APP")))).filter();
        assertThat(filter.matches(notice("order.status.shipped", "SKU-1", null, "MOBILE_APP"))).isTrue();
        assertThat(filter.matches(notice("order.status.shipped", "SKU-1", null, "WEB"))).isFalse();
    }

    @Test
    void badRequestsSayWhatIsWrong() {
        assertThatThrownBy(() -> SubscriptionRequest.check(Map.of("kind", "webhook", "target", "not a url")))
                .isInstanceOf(SubscriptionRequest.Invalid.class).hasFieldOrPropertyWithValue("title", "Invalid URL");
        assertThatThrownBy(() -> SubscriptionRequest.check(Map.of("kind", "webhook", "target", "ftp://example.com/x")))
                .hasFieldOrPropertyWithValue("title", "Invalid URL");
        assertThatThrownBy(() -> SubscriptionRequest.check(Map.of("kind", "pager", "target", "https://example.com")))
                .hasFieldOrPropertyWithValue("title", "Unknown destination kind");
        assertThatThrownBy(() -> SubscriptionRequest.check(Map.of("kind", "email", "target", "not-an-address")))
                .hasFieldOrPropertyWithValue("title", "Invalid e-mail address");
        assertThatThrownBy(() -> SubscriptionRequest.check(Map.of("kind", "slack", "target", "https://hooks.slack.com/x",
                "filter", Map.of("kinds", List.of("inventory.alert.low_stok")))))
                .hasFieldOrPropertyWithValue("title", "Unknown event kind").hasMessageContaining("inventory.alert.low_stock");
        assertThatThrownBy(() -> SubscriptionRequest.check(Map.of("kind", "slack", "target", "https://hooks.slack.com/x",
                "filter", Map.of("skus", "SKU-1"))))
                .hasFieldOrPropertyWithValue("title", "Malformed filter");
        assertThatThrownBy(() -> SubscriptionRequest.check(Map.of("kind", "slack", "target", "https://hooks.slack.com/x",
                "filter", Map.of("colour", List.of("red")))))
                .hasFieldOrPropertyWithValue("title", "Malformed filter");
    }
}
