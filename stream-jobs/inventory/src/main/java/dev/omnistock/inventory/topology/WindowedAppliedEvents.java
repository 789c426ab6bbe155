package dev.omnistock.inventory.topology;

import dev.omnistock.inventory.ledger.AppliedEvents;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Applied event ids in a window store; ids expire with their segment a retention after their stamp,
 * so the store does not grow without end.
 *
 * <p>A recent event (the usual case) is stamped with its own time, which a redelivery repeats, so a
 * duplicate is found by one point look-up. The stamp is never later than the record's timestamp (the
 * producer's clock): an event from a client whose clock runs ahead cannot move the store's time
 * forward and expire every other id. An event that arrives long after it happened (a till that synced
 * its sales days later) is stamped with the record's timestamp instead, so that it does not expire at
 * once, and looked up over the retention before it.
 *
 * <p>The store's key is the id after its event's time (8 bytes, big-endian): every copy of an event
 * carries the same time, so it finds the same key, and ids then reach RocksDB roughly in key order.
 * Each is inserted into the memtable next to the one before instead of by a walk down its skip list
 * from the top, which with the bare, random ids was 11–14 % of the stream thread.
 */
final class WindowedAppliedEvents implements AppliedEvents {

    private final WindowStore<Bytes, Long> store;
    private final long eventTimeMillis;
    private final long stamp;
    private final boolean late;
    private final long retentionMillis;
    /** The last id's store key: a record looks its id up and then adds it, one key for both. */
    private String keyedId;
    private Bytes key;

    WindowedAppliedEvents(WindowStore<Bytes, Long> store, long recordTimestamp, long eventTimeMillis, Duration retention) {
        this.store = store;
        this.eventTimeMillis = eventTimeMillis;
        this.retentionMillis = retention.toMillis();
        // Half the retention: a copy sent later than that still finds this one within the look-up below.
        this.late = eventTimeMillis < recordTimestamp - retentionMillis / 2;
        this.stamp = late ? recordTimestamp : Math.min(eventTimeMillis, recordTimestamp);
    }

    @Override
    public boolean contains(String eventId) {
        if (!late) {
            return store.fetch(key(eventId), stamp) != null;
        }
        // The first copy was stamped with its event time (it came in time) or with its own record
        // timestamp (it came late too): either lies within the retention before this record's.
        try (WindowStoreIterator<Long> seen = store.fetch(key(eventId), stamp - retentionMillis, stamp)) {
            return seen.hasNext();
        }
    }

    @Override
    public void add(String eventId) {
        store.put(key(eventId), stamp, stamp);
    }

    private Bytes key(String eventId) {
        if (!eventId.equals(keyedId)) {
            byte[] id = eventId.getBytes(StandardCharsets.UTF_8);
            key = Bytes.wrap(ByteBuffer.allocate(Long.BYTES + id.length).putLong(eventTimeMillis).put(id).array());
            keyedId = eventId;
        }
        return key;
    }
}
