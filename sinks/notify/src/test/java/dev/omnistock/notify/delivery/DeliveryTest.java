package dev.omnistock.notify.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnistock.notify.notices.Notice;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeliveryTest {

    private static final Instant T0 = Instant.parse("2026-12-05T12:00:00Z");
    private static final RetrySchedule SCHEDULE = RetrySchedule.parse("0s,5s,5m");
    private static final Notice NOTICE = new Notice("alert-1", "inventory.alert.low_stock", T0, List.of("SKU-1"), List.of(), null,
            "LOW STOCK", Map.of());

    private static Delivery.Result failed(Integer status) {
        return Delivery.Result.failed(status, 3, "HTTP " + status, Optional.empty());
    }

    @Test
    void theDefaultScheduleIsTheDocumentedOne() {
        assertThat(RetrySchedule.parse(RetrySchedule.DEFAULT).delays()).containsExactly(Duration.ZERO, Duration.ofSeconds(5),
                Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));
        assertThatThrownBy(() -> RetrySchedule.parse("5s,soon")).hasMessageContaining("'soon'");
    }

    @Test
    void aNewDeliveryIsDueAtOnce() {
        Delivery delivery = Delivery.of(NOTICE, "sub-1", T0, SCHEDULE);
        assertThat(delivery.id()).isEqualTo("alert-1|sub-1");
        assertThat(delivery.dueAt(T0)).isTrue();
    }

    @Test
    void failuresFollowTheScheduleThenTheDeliveryFails() {
        Delivery delivery = Delivery.of(NOTICE, "sub-1", T0, SCHEDULE).after(failed(500), T0, SCHEDULE);
        assertThat(delivery.status()).isEqualTo(Delivery.Status.PENDING);
        assertThat(delivery.nextAttemptAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(delivery.dueAt(T0.plusSeconds(4))).isFalse();

        delivery = delivery.after(failed(null), T0.plusSeconds(5), SCHEDULE);
        assertThat(delivery.nextAttemptAt()).isEqualTo(T0.plusSeconds(5).plus(Duration.ofMinutes(5)));

        delivery = delivery.after(failed(502), T0.plusSeconds(400), SCHEDULE);
        assertThat(delivery.status()).isEqualTo(Delivery.Status.FAILED);
        assertThat(delivery.attempts()).extracting(Delivery.Attempt::number, Delivery.Attempt::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "RETRYING"), org.assertj.core.groups.Tuple.tuple(2, "RETRYING"),
                        org.assertj.core.groups.Tuple.tuple(3, "FAILED"));
        assertThat(delivery.dueAt(T0.plus(Duration.ofDays(1)))).isFalse();
    }

    @Test
    void aRetryAfterLaterThanTheScheduleIsHonouredAndAnEarlierOneIsNot() {
        Delivery first = Delivery.of(NOTICE, "sub-1", T0, SCHEDULE);
        assertThat(first.after(Delivery.Result.failed(429, 1, "HTTP 429", Optional.of(Duration.ofSeconds(60))), T0, SCHEDULE).nextAttemptAt())
                .isEqualTo(T0.plusSeconds(60));
        assertThat(first.after(Delivery.Result.failed(429, 1, "HTTP 429", Optional.of(Duration.ofSeconds(1))), T0, SCHEDULE).nextAttemptAt())
                .isEqualTo(T0.plusSeconds(5));
        assertThat(first.after(Delivery.Result.failed(429, 1, "HTTP 429", Optional.of(Duration.ofDays(30))), T0, SCHEDULE).nextAttemptAt())
                .as("capped").isEqualTo(T0.plus(Duration.ofDays(1)));
    }

    @Test
    void aDeliveredOneIsNeverDueAgainUnlessRedelivered() {
        Delivery delivered = Delivery.of(NOTICE, "sub-1", T0, SCHEDULE).after(Delivery.Result.delivered(200, 4), T0, SCHEDULE);
        assertThat(delivered.status()).isEqualTo(Delivery.Status.DELIVERED);
        assertThat(delivered.dueAt(T0.plus(Duration.ofDays(1)))).isFalse();
        Delivery again = delivered.redeliver(T0.plusSeconds(60));
        assertThat(again.dueAt(T0.plusSeconds(60))).isTrue();
        assertThat(again.after(Delivery.Result.delivered(200, 4), T0.plusSeconds(61), SCHEDULE).attemptsMade()).isEqualTo(2);
    }

    @Test
    void aRedeliveryOfAFailedDeliveryGetsTheWholeScheduleAgain() {
        Delivery failed = Delivery.of(NOTICE, "sub-1", T0, SCHEDULE).after(failed(500), T0, SCHEDULE)
                .after(failed(500), T0.plusSeconds(5), SCHEDULE).after(failed(500), T0.plusSeconds(400), SCHEDULE);
        assertThat(failed.status()).isEqualTo(Delivery.Status.FAILED);

        Instant fixed = T0.plus(Duration.ofHours(1));
        Delivery again = failed.redeliver(fixed).after(failed(503), fixed, SCHEDULE);
        assertThat(again.status()).as("retried, not failed after one attempt").isEqualTo(Delivery.Status.PENDING);
        assertThat(again.nextAttemptAt()).isEqualTo(fixed.plusSeconds(5));
        again = again.after(failed(503), fixed.plusSeconds(5), SCHEDULE);
        assertThat(again.nextAttemptAt()).isEqualTo(fixed.plusSeconds(5).plus(Duration.ofMinutes(5)));
        again = again.after(failed(503), fixed.plusSeconds(400), SCHEDULE);
        assertThat(again.status()).isEqualTo(Delivery.Status.FAILED);
        assertThat(again.attempts()).extracting(Delivery.Attempt::number).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void aDeliveryWrittenBeforeRoundsWereKeptReadsAsAFirstRound() {
        Delivery delivery = Delivery.of(NOTICE, "sub-1", T0, SCHEDULE).after(failed(500), T0, SCHEDULE);
        String json = new String(dev.omnistock.notify.persist.StateCodec.bytes(delivery), java.nio.charset.StandardCharsets.UTF_8)
                .replace(",\"roundStart\":0", "");
        assertThat(json).doesNotContain("roundStart").doesNotContain("orderId").doesNotContain("sequence");
        Delivery read = dev.omnistock.notify.persist.StateCodec.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), Delivery.class);
        assertThat(read).isEqualTo(delivery);
    }
}
