package dev.omnistock.inventory.topology;

import dev.omnistock.inventory.ledger.ReservationBook;
import dev.omnistock.inventory.sourcing.Allocation;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueStore;

/** One SKU's reservations in the reservations store, keyed "sku|orderId|lineId". */
final class StoreReservationBook implements ReservationBook {

    private final KeyValueStore<String, Allocation[]> store;
    private final String sku;

    StoreReservationBook(KeyValueStore<String, Allocation[]> store, String sku) {
        this.store = store;
        this.sku = sku;
    }

    @Override
    public Optional<List<Allocation>> find(String orderId, String lineId) {
        return Optional.ofNullable(store.get(key(orderId, lineId))).map(Arrays::asList);
    }

    @Override
    public void put(String orderId, String lineId, List<Allocation> allocations) {
        store.put(key(orderId, lineId), allocations.toArray(Allocation[]::new));
    }

    @Override
    public void remove(String orderId, String lineId) {
        store.delete(key(orderId, lineId));
    }

    private String key(String orderId, String lineId) {
        return sku + "|" + orderId + "|" + lineId;
    }
}
