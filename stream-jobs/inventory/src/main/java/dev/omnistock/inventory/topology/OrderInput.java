package dev.omnistock.inventory.topology;

import dev.omnistock.events.LineDecision;
import dev.omnistock.events.OrderEvent;

/** What reaches an order's reservation, from two topics keyed by orderId. */
sealed interface OrderInput {

    /** The bytes it was read from, for a dead letter. */
    byte[] bytes();

    record Event(OrderEvent event, byte[] bytes) implements OrderInput {
    }

    record Answer(LineDecision answer, byte[] bytes) implements OrderInput {
    }
}
