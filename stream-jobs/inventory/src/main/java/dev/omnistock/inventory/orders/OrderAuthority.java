package dev.omnistock.inventory.orders;

import java.util.Optional;

/**
 * Whose key may change an order. A sales channel's key cancels, ships and takes returns of its own
 * channel's orders only; a warehouse's key ships and takes returns of every channel's orders (the
 * goods leave and come back through the warehouses) but cancels none; an admin's key does all three.
 * A return of an order this service does not know (never placed, or forgotten) cannot be checked against
 * its channel, so only a warehouse's or an admin's key may send one. An order id, once placed, is that
 * order's: another placement of it is refused, so one channel cannot take over another's ids.
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

    /**
     * Why a return of an order this service does not know must not be taken in, or empty when it may: a
     * channel's key could otherwise add stock at will.
     */
    public static Optional<String> unknownOrderReturnRefusal(String orderId, Optional<Key> key) {
        return key.isPresent() && key.get() == Key.CHANNEL
                ? Optional.of("a channel's key may not return an order this service does not know (" + orderId
                        + "); a warehouse or admin key may")
                : Optional.empty();
    }

    /**
     * Why a placement of an id already held by an order must not be taken, or empty when it is that
     * order's own placement again (a redelivery, ignored).
     */
    public static Optional<String> placementRefusal(OrderReservation holder, String placedEventId, String senderChannel) {
        return holder.placedEventId().equals(placedEventId) ? Optional.empty()
                : Optional.of("order " + holder.orderId() + " is already placed, as a " + holder.channel()
                        + " order; a " + senderChannel + " placement may not take its id");
    }
}
