package dev.omnistock.inventory.topology;

import dev.omnistock.events.InventoryAlert;
import dev.omnistock.events.InventoryPosition;
import dev.omnistock.events.LineCommand;
import dev.omnistock.events.LineDecision;
import dev.omnistock.events.OrderDecision;
import dev.omnistock.events.OrderStatusChanged;

/**
 * Everything the two processors emit, before it is routed to its topic. Never serialised:
 * the topology splits it by kind right after the processor.
 */
sealed interface Output {

    /** Keyed by SKU. */
    record PositionChanged(InventoryPosition position) implements Output {
    }

    /** Keyed by SKU. */
    record AlertRaised(InventoryAlert alert) implements Output {
    }

    /** Keyed by orderId, back to the order side. */
    record LineAnswered(LineDecision answer) implements Output {
    }

    /** Keyed by SKU, to that SKU's ledger. */
    record LedgerInstruction(LineCommand command) implements Output {
    }

    /** Keyed by orderId. */
    record DecisionMade(OrderDecision decision) implements Output {
    }

    /** Keyed by orderId. */
    record StatusChanged(OrderStatusChanged change) implements Output {
    }

    /** The input record as it was, with the reason; its key stays the input's. */
    record DeadLetter(byte[] value, String reason, String topic, int partition, long offset) implements Output {
    }
}
