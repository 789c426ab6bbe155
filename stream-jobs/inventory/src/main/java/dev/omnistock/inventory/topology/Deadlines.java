package dev.omnistock.inventory.topology;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Things to do at a time (an order to expire or forget, a SKU whose expected inbound expires), in a
 * store keyed by the due time first, so that RocksDB keeps them in time order: a punctuation reads just
 * what is due, never the whole order or ledger store.
 */
final class Deadlines {

    private static final int TIME_DIGITS = 19;

    private final KeyValueStore<String, String> store;

    Deadlines(KeyValueStore<String, String> store) {
        this.store = store;
    }

    /** Adding the same thing at the same time again is a no-op. */
    void add(long dueAtMillis, String what) {
        store.put(String.format("%0" + TIME_DIGITS + "d|%s", Math.max(0, dueAtMillis), what), "");
    }

    /** Up to {@code max} things due at {@code nowMillis}, earliest first; they leave the store. */
    List<String> takeDue(long nowMillis, int max) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, String> all = store.all()) {
            while (all.hasNext() && keys.size() < max) {
                KeyValue<String, String> next = all.next();
                if (Long.parseLong(next.key.substring(0, TIME_DIGITS)) > nowMillis) {
                    break;
                }
                keys.add(next.key);
            }
        }
        keys.forEach(store::delete);
        return keys.stream().map(key -> key.substring(TIME_DIGITS + 1)).toList();
    }
}
