package dev.omnistock.inventory.orders;

import static dev.omnistock.inventory.orders.OrderAuthority.Command.CANCEL;
import static dev.omnistock.inventory.orders.OrderAuthority.Command.RETURN;
import static dev.omnistock.inventory.orders.OrderAuthority.Command.SHIP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.omnistock.inventory.orders.OrderAuthority.Command;
import dev.omnistock.inventory.orders.OrderAuthority.Key;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OrderAuthorityTest {

    private static final OrderReservation MARKETPLACE_ORDER = OrderReservation.place("O-7", "evt-1", "MARKETPLACE",
            List.of(new OrderLineRequest("1", "SKU-1", 2)), Optional.empty(), false, false, false, new ArrayList<>());

    private static Optional<String> refusal(Command command, Key key, String senderChannel) {
        return OrderAuthority.refusal(command, MARKETPLACE_ORDER, Optional.of(key), senderChannel);
    }

    @Test
    void aChannelsKeyActsOnItsOwnChannelsOrders() {
        for (Command command : Command.values()) {
            assertThat(refusal(command, Key.CHANNEL, "MARKETPLACE")).as(command.name()).isEmpty();
        }
    }

    @Test
    void anotherChannelsKeyIsRefusedWithTheReason() {
        assertThat(refusal(CANCEL, Key.CHANNEL, "WEB")).hasValue("a WEB key may not cancel order O-7, which is a MARKETPLACE order");
        assertThat(refusal(SHIP, Key.CHANNEL, "WEB")).hasValue("a WEB key may not ship order O-7, which is a MARKETPLACE order");
        assertThat(refusal(RETURN, Key.CHANNEL, "STORE_POS")).hasValue("a STORE_POS key may not take a return of order O-7, which is a MARKETPLACE order");
    }

    @Test
    void aWarehouseShipsAndTakesReturnsOfEveryChannelsOrdersButCancelsNone() {
        assertThat(refusal(SHIP, Key.WAREHOUSE, "WAREHOUSE")).isEmpty();
        assertThat(refusal(RETURN, Key.WAREHOUSE, "WAREHOUSE")).isEmpty();
        assertThat(refusal(CANCEL, Key.WAREHOUSE, "WAREHOUSE")).hasValueSatisfying(reason -> assertThat(reason).contains("may not cancel"));
    }

    @Test
    void anAdminActsOnAnyOrder() {
        for (Command command : Command.values()) {
            assertThat(refusal(command, Key.ADMIN, "UNKNOWN")).as(command.name()).isEmpty();
        }
    }

    /** Writers to Kafka are authorised by its ACLs, not by API keys. */
    @Test
    void aCommandWrittenToKafkaDirectlyIsNotCheckedAgainstAKey() {
        for (Command command : Command.values()) {
            assertThat(OrderAuthority.refusal(command, MARKETPLACE_ORDER, Optional.empty(), "WEB")).as(command.name()).isEmpty();
        }
    }

    @Test
    void aChannelsKeyMayNotReturnAnOrderThisServiceDoesNotKnow() {
        assertThat(OrderAuthority.unknownOrderReturnRefusal("NEVER-PLACED-1", Optional.of(Key.CHANNEL)))
                .hasValue("a channel's key may not return an order this service does not know (NEVER-PLACED-1); a warehouse or admin key may");
    }

    @Test
    void aWarehouseAnAdminOrAWriterToKafkaReturnsAnOrderThisServiceDoesNotKnow() {
        assertThat(OrderAuthority.unknownOrderReturnRefusal("O-gone", Optional.of(Key.WAREHOUSE))).isEmpty();
        assertThat(OrderAuthority.unknownOrderReturnRefusal("O-gone", Optional.of(Key.ADMIN))).isEmpty();
        assertThat(OrderAuthority.unknownOrderReturnRefusal("O-gone", Optional.empty())).isEmpty();
    }

    @Test
    void theSamePlacementAgainIsNoRefusal() {
        assertThat(OrderAuthority.placementRefusal(MARKETPLACE_ORDER, "evt-1", "MARKETPLACE")).isEmpty();
    }

    @Test
    void anotherPlacementOfAnIdAlreadyHeldIsRefusedWhicheverChannelSendsIt() {
        assertThat(OrderAuthority.placementRefusal(MARKETPLACE_ORDER, "evt-2", "WEB"))
                .hasValue("order O-7 is already placed, as a MARKETPLACE order; a WEB placement may not take its id");
        assertThat(OrderAuthority.placementRefusal(MARKETPLACE_ORDER, "evt-2", "MARKETPLACE"))
                .hasValue("order O-7 is already placed, as a MARKETPLACE order; a MARKETPLACE placement may not take its id");
    }
}
