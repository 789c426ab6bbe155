package dev.omnistock.ingestion.requests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnistock.events.Channel;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.OrderPlaced;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RequestChecksTest {

    private static final Envelope ENVELOPE = new Envelope(UUID.randomUUID(), Instant.parse("2026-11-23T10:00:00Z"), Channel.WEB, "web-shop");

    private static OrderRequests.PlaceOrder order(List<OrderRequests.Line> lines) {
        return new OrderRequests.PlaceOrder("O-1", "C-1", "EUR", null, null, lines);
    }

    @Test
    void aGoodOrderHasNoProblemsAndKeepsItsPriceExact() {
        OrderRequests.PlaceOrder request = order(List.of(new OrderRequests.Line("1", "SKU-1", 2, new BigDecimal("19.99"))));
        assertThat(request.problems()).isEmpty();
        OrderEvent event = request.toEvent(ENVELOPE);
        OrderPlaced placed = (OrderPlaced) event.getPayload();
        assertThat(placed.getLines().get(0).getUnitPrice()).isEqualTo(new BigDecimal("19.9900"));
        assertThat(event.getEventId()).isEqualTo(ENVELOPE.eventId());
        assertThat(event.getChannel()).isEqualTo(Channel.WEB);
    }

    @Test
    void everyBadFieldIsNamed() {
        OrderRequests.PlaceOrder request = new OrderRequests.PlaceOrder(" ", null, "euro", "DRONE", null, List.of(
                new OrderRequests.Line("1", "SKU-1", 0, new BigDecimal("1.23456")),
                new OrderRequests.Line("1", null, 1, new BigDecimal("-1"))));
        assertThat(request.problems()).extracting(FieldError::field).containsExactlyInAnyOrder(
                "orderId", "currency", "fulfillmentMethod", "lines[0].quantity", "lines[0].unitPrice",
                "lines[1].lineId", "lines[1].sku", "lines[1].unitPrice");
    }

    @Test
    void anOrderNeedsLines() {
        assertThat(order(List.of()).problems()).extracting(FieldError::field).containsExactly("lines");
    }

    @Test
    void aPartialCancelNeedsItsLines() {
        assertThat(new OrderRequests.CancelOrder(false, null, null).problems()).extracting(FieldError::field).containsExactly("lines");
        assertThat(new OrderRequests.CancelOrder(true, null, "customer").problems()).isEmpty();
    }

    @Test
    void aCountCannotBeNegativeAndAnAdjustmentNeedsAKnownReason() {
        assertThat(new StockRequests.Count("SKU-1", "DC", -1, null).problems()).extracting(FieldError::field).containsExactly("onHand");
        assertThat(new StockRequests.Adjustment("SKU-1", "DC", -2, "LOST_IN_SPACE", null).problems())
                .singleElement().satisfies(e -> assertThat(e.message()).contains("SHRINK"));
        assertThat(new StockRequests.Adjustment("SKU-1", "DC", 0, "SHRINK", null).problems()).extracting(FieldError::field).containsExactly("delta");
    }

    @Test
    void settingsAreKeyedBySkuOrSkuAndLocation() {
        assertThat(new StockRequests.Settings("SKU-1", null, 5, null, null).key()).isEqualTo("SKU-1");
        assertThat(new StockRequests.Settings("SKU-1", "STORE-1", 5, null, null).key()).isEqualTo("SKU-1@STORE-1");
        assertThat(new StockRequests.Settings("SKU-1", null, null, null, null).problems()).isNotEmpty();
    }
}
