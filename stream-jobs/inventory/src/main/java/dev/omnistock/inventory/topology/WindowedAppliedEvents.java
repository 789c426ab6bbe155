package dev.omnistock.inventory.topology;

import dev.omnistock.inventory.ledger.AppliedEvents;
import java.time.Duration;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Applied event ids in a window store, stamped with the record's timestamp: ids older than the
 * retention expire with their segment, so the store does not grow without end.
 */
final class WindowedAppliedEvents implements AppliedEvents {

    private final WindowStore<String, Long> store;
    private final long recordTimestamp;
    private final long retentionMillis;

    WindowedAppliedEvents(WindowStore<String, Long> store, long recordTimestamp, Duration retention) {
        this.store = store;
        this.recordTimestamp = recordTimestamp;
        this.retentionMillis = retention.toMillis();
    }

    @Override
    public boolean contains(String eventId) {
        try (WindowStoreIterator<Long> seen = store.fetch(eventId, recordTimestamp - retentionMillis, recordTimestamp + retentionMillis)) {
            return seen.hasNext();
        }
    }

    @Override
    public void add(String eventId) {
        store.put(eventId, recordTimestamp, recordTimestamp);
    }
}
