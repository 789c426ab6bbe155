package dev.omnistock.inventory.ledger;

import dev.omnistock.inventory.sourcing.Allocation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Open reservations in a map, for tests of the rules without Kafka. */
public final class InMemoryReservationBook implements ReservationBook {

    private final Map<String, List<Allocation>> lines = new HashMap<>();

    @Override
    public Optional<List<Allocation>> find(String orderId, String lineId) {
        return Optional.ofNullable(lines.get(orderId + "/" + lineId));
    }

    @Override
    public void put(String orderId, String lineId, List<Allocation> allocations) {
        lines.put(orderId + "/" + lineId, List.copyOf(allocations));
    }

    @Override
    public void remove(String orderId, String lineId) {
        lines.remove(orderId + "/" + lineId);
    }

    /** Every open reservation: orderId/lineId to its allocations. */
    public Map<String, List<Allocation>> lines() {
        return Map.copyOf(lines);
    }
}
