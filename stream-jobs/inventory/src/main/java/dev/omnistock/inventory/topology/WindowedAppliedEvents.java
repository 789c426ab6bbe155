package dev.omnistock.inventory.topology;

import dev.omnistock.inventory.ledger.AppliedEvents;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Applied event ids in a window store, each stamped with when this service applied it (its own clock),
 * so that ids expire with their segment a retention later and the store does not grow without end.
 *
 * <p>A copy is recognised by its id alone: the copies of one event need not carry the same event time
 * (a request retried through another ingestion instance is stamped anew) nor the same record timestamp.
 * The service's clock, not the event's or the producer's, decides what expires, so a client whose clock
 * runs ahead cannot expire every other id. An id is found whenever its copy comes within the retention
 * after the first was applied.
 */
final class WindowedAppliedEvents implements AppliedEvents {

    private final WindowStore<Bytes, Long> store;
    private final long nowMillis;
    private final long retentionMillis;

    WindowedAppliedEvents(WindowStore<Bytes, Long> store, long nowMillis, Duration retention) {
        this.store = store;
        this.nowMillis = nowMillis;
        this.retentionMillis = retention.toMillis();
    }

    @Override
    public boolean contains(String eventId) {
        // Open-ended above: a clock set back after the first copy was applied must not hide it.
        try (WindowStoreIterator<Long> seen = store.fetch(key(eventId), nowMillis - retentionMillis, Long.MAX_VALUE)) {
            return seen.hasNext();
        }
    }

    @Override
    public void add(String eventId) {
        store.put(key(eventId), nowMillis, nowMillis);
    }

    private static Bytes key(String eventId) {
        return Bytes.wrap(eventId.getBytes(StandardCharsets.UTF_8));
    }
}
