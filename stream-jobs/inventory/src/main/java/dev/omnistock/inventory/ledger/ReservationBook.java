package dev.omnistock.inventory.ledger;

import dev.omnistock.inventory.sourcing.Allocation;
import java.util.List;
import java.util.Optional;

/**
 * Where one SKU's open reservations are kept, line by line. Kept apart from the ledger's quantities
 * because a popular SKU can have many thousands open, and the quantities change with every event.
 */
public interface ReservationBook {

    Optional<List<Allocation>> find(String orderId, String lineId);

    void put(String orderId, String lineId, List<Allocation> allocations);

    void remove(String orderId, String lineId);
}
