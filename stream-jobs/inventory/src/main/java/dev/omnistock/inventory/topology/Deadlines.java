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

    /** Deadlines a punctuation takes at most, so that a backlog of them never stalls the stream thread. */
    static final int PER_PUNCTUATION = 10_000;
    private static final int TIME_DIGITS = 19;

    private final KeyValueStore<String, String> store;

    Deadlines(KeyValueStore<String, String> store) {
        this.store = store;
    }

    /** Adding the same thing at the same time again is a no-op. */
    void add(long dueAtMillis, String what) {
        // Zero-padded, so that the keys' order is the times' order (without String.format, which parses its pattern each call).
        String time = Long.toString(Math.max(0, dueAtMillis));
        store.put("0".repeat(TIME_DIGITS - time.length()) + time + "|" + what, "");
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
