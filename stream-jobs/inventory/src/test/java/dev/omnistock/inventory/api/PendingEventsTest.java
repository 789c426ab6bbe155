package dev.omnistock.inventory.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PendingEventsTest {

    @Test
    void takesEverythingAppendedAsUtf8AndLeavesNothing() {
        PendingEvents pending = new PendingEvents();
        pending.append("event: availability\ndata: {\"sku\":\"TÉ-1\"}\n\n");
        pending.append(": heartbeat\n\n");

        assertThat(new String(pending.take(), StandardCharsets.UTF_8))
                .isEqualTo("event: availability\ndata: {\"sku\":\"TÉ-1\"}\n\n: heartbeat\n\n");
        assertThat(pending.isEmpty()).isTrue();
        assertThat(pending.take()).isEmpty();
    }

    @Test
    void aBufferGrownByABurstDoesNotStayLargeOnceWrittenOut() {
        PendingEvents pending = new PendingEvents();
        String change = "x".repeat(1_000);
        for (int i = 0; i < 1_000; i++) {
            pending.append(change);
        }
        assertThat(pending.capacity()).isGreaterThanOrEqualTo(1_000_000);

        assertThat(pending.take()).hasSize(1_000_000);

        assertThat(pending.capacity()).isLessThanOrEqualTo(PendingEvents.KEEP_CAPACITY_CHARS);
    }

    @Test
    void aBufferOfUsualSizeIsKeptForTheNextPoll() {
        PendingEvents pending = new PendingEvents();
        pending.append("y".repeat(10_000));
        int capacity = pending.capacity();

        pending.take();

        assertThat(pending.capacity()).isEqualTo(capacity);
    }
}
