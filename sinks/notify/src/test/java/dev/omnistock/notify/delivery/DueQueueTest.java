package dev.omnistock.notify.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnistock.notify.notices.Notice;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** What is due next is kept as deliveries change, not found by scanning them all. */
class DueQueueTest {

    private static final RetrySchedule SCHEDULE = RetrySchedule.parse("0s,5s");

    private static Delivery delivery(String noticeId, Instant due) {
        Notice notice = new Notice(noticeId, "inventory.alert.low_stock", due, List.of("SKU-1"), List.of(), null, "LOW STOCK", Map.of());
        Delivery created = Delivery.of(notice, "sub-1", due, SCHEDULE);
        return created;
    }

    @Test
    void theEarliestDueComesFirstAndNoneBeforeItIsDue() throws Exception {
        Map<String, Delivery> all = new ConcurrentHashMap<>();
        DueQueue queue = new DueQueue(Clock.systemUTC(), id -> Optional.ofNullable(all.get(id)));
        Instant now = Instant.now();
        // Ten thousand deliveries waiting hours cost nothing to wait beside.
        for (int i = 0; i < 10_000; i++) {
            Delivery later = delivery("later-" + i, now.plus(Duration.ofHours(1)));
            all.put(later.id(), later);
            queue.changed(null, later);
        }
        Delivery second = delivery("second", now.plusMillis(400));
        Delivery first = delivery("first", now.plusMillis(200));
        for (Delivery d : List.of(second, first)) {
            all.put(d.id(), d);
            queue.changed(null, d);
        }
        assertThat(queue.take()).isEqualTo(first.id());
        assertThat(Instant.now()).isAfterOrEqualTo(first.nextAttemptAt());
        assertThat(queue.take()).isEqualTo(second.id());
        assertThat(Instant.now()).isAfterOrEqualTo(second.nextAttemptAt());
    }

    @Test
    void aDeliveryMadeDueByHandIsTakenAtOnce() throws Exception {
        Map<String, Delivery> all = new ConcurrentHashMap<>();
        DueQueue queue = new DueQueue(Clock.systemUTC(), id -> Optional.ofNullable(all.get(id)));
        Delivery waiting = delivery("n-1", Instant.now().plus(Duration.ofHours(1)));
        all.put(waiting.id(), waiting);
        queue.changed(null, waiting);
        Delivery now = waiting.redeliver(Instant.now());
        all.put(now.id(), now);
        queue.changed(waiting, now);
        long started = System.nanoTime();
        assertThat(queue.take()).isEqualTo(now.id());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(500));
    }
}
