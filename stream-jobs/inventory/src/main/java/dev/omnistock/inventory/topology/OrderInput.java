package dev.omnistock.inventory.topology;

import dev.omnistock.events.LineDecision;
import dev.omnistock.events.OrderEvent;

/** What reaches an order's reservation, from two topics keyed by orderId. */
sealed interface OrderInput {

    record Event(OrderEvent event) implements OrderInput {
    }

    record Answer(LineDecision answer) implements OrderInput {
    }
}
