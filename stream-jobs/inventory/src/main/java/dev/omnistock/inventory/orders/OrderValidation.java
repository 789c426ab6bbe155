package dev.omnistock.inventory.orders;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What makes a placed order impossible to reserve, whatever the stock. */
public final class OrderValidation {

    private OrderValidation() {
    }

    /** The first problem found, or empty when the order can be reserved. */
    public static Optional<String> problem(List<OrderLineRequest> lines) {
        if (lines.isEmpty()) {
            return Optional.of("it has no lines");
        }
        Set<String> lineIds = new HashSet<>();
        for (OrderLineRequest line : lines) {
            if (!lineIds.add(line.lineId())) {
                return Optional.of("line id " + line.lineId() + " appears twice");
            }
            if (line.quantity() <= 0) {
                return Optional.of("line " + line.lineId() + " has quantity " + line.quantity() + "; it must be more than 0");
            }
            if (line.sku() == null || line.sku().isBlank()) {
                return Optional.of("line " + line.lineId() + " has no SKU");
            }
        }
        return Optional.empty();
    }
}
