package dev.omnistock.inventory.topology;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A processor's view of one of its stores that keeps the values it last read or wrote decoded, so that
 * a SKU's ledger or an order is not decoded again from the store for every command that touches it
 * (decoding was two thirds of the stream thread's store reads). Every write still goes to the store,
 * which stays the truth: its changelog, the interactive queries and a restore see each one.
 *
 * <p>A value is kept only while it equals what the store holds: the caller must {@link #forget} a value
 * it changed without writing it back. It belongs to one processor instance on one task, and starts empty
 * whenever Kafka Streams (re)initialises the processor, as after a restore.
 */
final class DecodedValues<V> {

    private final KeyValueStore<String, V> store;
    private final int maxEntries;
    private final Map<String, V> recent;

    /** @param maxEntries how many values to keep decoded; 0 reads every value from the store */
    DecodedValues(KeyValueStore<String, V> store, int maxEntries) {
        this.store = store;
        this.maxEntries = maxEntries;
        // In access order: the least recently used value leaves first.
        this.recent = new LinkedHashMap<>(Math.min(maxEntries, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > maxEntries;
            }
        };
    }

    V get(String key) {
        if (maxEntries == 0) {
            return store.get(key);
        }
        V value = recent.get(key);
        if (value == null) {
            value = store.get(key);
            if (value != null) {
                recent.put(key, value);
            }
        }
        return value;
    }

    void put(String key, V value) {
        store.put(key, value);
        if (maxEntries > 0) {
            recent.put(key, value);
        }
    }

    void delete(String key) {
        store.delete(key);
        recent.remove(key);
    }

    /** Drops the decoded value, so that the next read decodes what the store holds. */
    void forget(String key) {
        recent.remove(key);
    }
}
