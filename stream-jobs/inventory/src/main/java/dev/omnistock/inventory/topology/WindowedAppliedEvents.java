package dev.omnistock.inventory.topology;

import dev.omnistock.inventory.ledger.AppliedEvents;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Applied event ids in a window store, each stamped with its event's time: a redelivery carries the
 * same event time, so a duplicate is found by one point lookup, and ids expire with their segment
 * once their time is a retention behind the newest, so the store does not grow without end.
 *
 * <p>The stamp is never later than the record's timestamp (the producer's clock): an event from a
 * client whose clock runs ahead cannot move the store's time forward and expire every other id.
 */
final class WindowedAppliedEvents implements AppliedEvents {

    private final WindowStore<String, Long> store;
    private final long stamp;

    WindowedAppliedEvents(WindowStore<String, Long> store, long recordTimestamp, long eventTimeMillis) {
        this.store = store;
        this.stamp = Math.min(eventTimeMillis, recordTimestamp);
    }

    @Override
    public boolean contains(String eventId) {
        return store.fetch(eventId, stamp) != null;
    }

    @Override
    public void add(String eventId) {
        store.put(eventId, stamp, stamp);
    }
}
