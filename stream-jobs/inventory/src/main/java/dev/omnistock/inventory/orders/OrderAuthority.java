package dev.omnistock.inventory.orders;

import java.util.Optional;

/**
 * Whose key may change an order. A sales channel's key cancels, ships and takes returns of its own
 * channel's orders only; a warehouse's key ships and takes returns of every channel's orders (the
 * goods leave and come back through the warehouses) but cancels none; an admin's key does all three.
 * The ingestion API names the key on each command; a command written to Kafka directly names none and
 * is authorised by Kafka's ACLs instead.
 */
public final class OrderAuthority {

    /** The kind of key a command came with. */
    public enum Key { CHANNEL, WAREHOUSE, ADMIN }

    public enum Command {
        CANCEL("cancel"), SHIP("ship"), RETURN("take a return of");

        private final String verb;

        Command(String verb) {
            this.verb = verb;
        }
    }

    private OrderAuthority() {
    }

    /**
     * Why the command must not change the order, or empty when it may.
     *
     * @param key           the key the command came with; empty for one written to Kafka directly
     * @param senderChannel the channel the command came from
     */
    public static Optional<String> refusal(Command command, OrderReservation order, Optional<Key> key, String senderChannel) {
        if (key.isEmpty() || key.get() == Key.ADMIN) {
            return Optional.empty();
        }
        if (key.get() == Key.WAREHOUSE) {
            return command == Command.CANCEL
                    ? Optional.of("a warehouse's key may not cancel order " + order.orderId() + "; its channel (" + order.channel()
                            + ") or an admin cancels it")
                    : Optional.empty();
        }
        return senderChannel.equals(order.channel()) ? Optional.empty()
                : Optional.of("a " + senderChannel + " key may not " + command.verb + " order " + order.orderId() + ", which is a "
                        + order.channel() + " order");
    }
}
