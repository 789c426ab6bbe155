package dev.omnistock.ingestion.requests;

import dev.omnistock.events.CancelledLine;
import dev.omnistock.events.FulfillmentMethod;
import dev.omnistock.events.OrderCancelled;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.OrderLine;
import dev.omnistock.events.OrderPlaced;
import dev.omnistock.events.OrderShipped;
import dev.omnistock.events.ReturnReceived;
import dev.omnistock.events.ReturnedLine;
import dev.omnistock.events.ShippedLine;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** The JSON bodies of the order endpoints, their checks, and the canonical events they become. */
public final class OrderRequests {

    private OrderRequests() {
    }

    public record Line(String lineId, String sku, Integer quantity, BigDecimal unitPrice) {
    }

    public record PlaceOrder(String orderId, String customerId, String currency, String fulfillmentMethod,
                             String requestedLocationId, List<Line> lines) {

        public List<FieldError> problems() {
            Checks checks = new Checks();
            checks.id("orderId", orderId);
            checks.optionalId("customerId", customerId);
            checks.currency("currency", currency);
            checks.oneOf("fulfillmentMethod", fulfillmentMethod, FulfillmentMethod.class, false);
            checks.optionalId("requestedLocationId", requestedLocationId);
            checks.nonEmpty("lines", lines);
            if (lines != null) {
                Set<String> lineIds = new HashSet<>();
                for (int i = 0; i < lines.size(); i++) {
                    Line line = lines.get(i);
                    String at = "lines[" + i + "]";
                    if (line == null) {
                        checks.add(at, "must be an object");
                        continue;
                    }
                    checks.id(at + ".lineId", line.lineId());
                    if (line.lineId() != null && !lineIds.add(line.lineId())) {
                        checks.add(at + ".lineId", "repeats line " + line.lineId());
                    }
                    checks.id(at + ".sku", line.sku());
                    checks.positive(at + ".quantity", line.quantity());
                    checks.price(at + ".unitPrice", line.unitPrice());
                }
            }
            return checks.errors();
        }

        public OrderEvent toEvent(Envelope envelope) {
            OrderPlaced placed = OrderPlaced.newBuilder()
                    .setCustomerId(customerId)
                    .setCurrency(currency)
                    .setFulfillmentMethod(fulfillmentMethod == null ? FulfillmentMethod.SHIP_TO_HOME : FulfillmentMethod.valueOf(fulfillmentMethod))
                    .setRequestedLocationId(requestedLocationId)
                    .setLines(lines.stream().map(l -> new OrderLine(l.lineId(), l.sku(), l.quantity(),
                            l.unitPrice().setScale(4, RoundingMode.UNNECESSARY))).toList())
                    .build();
            return order(envelope, orderId, placed);
        }
    }

    public record QuantityLine(String lineId, String sku, Integer quantity) {
    }

    public record CancelOrder(Boolean wholeOrder, List<QuantityLine> lines, String reason) {

        public List<FieldError> problems() {
            Checks checks = new Checks();
            if (wholeOrder == null) {
                checks.add("wholeOrder", "is required (true cancels every open line)");
            } else if (!wholeOrder) {
                checks.nonEmpty("lines", lines);
            }
            quantityLines(checks, lines);
            return checks.errors();
        }

        public OrderEvent toEvent(Envelope envelope, String orderId) {
            List<CancelledLine> cancelled = lines == null ? List.of()
                    : lines.stream().map(l -> new CancelledLine(l.lineId(), l.sku(), l.quantity())).toList();
            return order(envelope, orderId, new OrderCancelled(wholeOrder, cancelled, reason));
        }
    }

    public record ShipOrder(String shipmentId, String locationId, List<QuantityLine> lines, String carrier, String trackingNumber) {

        public List<FieldError> problems() {
            Checks checks = new Checks();
            checks.id("shipmentId", shipmentId);
            checks.id("locationId", locationId);
            checks.nonEmpty("lines", lines);
            quantityLines(checks, lines);
            return checks.errors();
        }

        public OrderEvent toEvent(Envelope envelope, String orderId) {
            return order(envelope, orderId, new OrderShipped(shipmentId, locationId,
                    lines.stream().map(l -> new ShippedLine(l.lineId(), l.sku(), l.quantity())).toList(), carrier, trackingNumber));
        }
    }

    public record ReturnLine(String lineId, String sku, Integer quantity, Boolean resellable, String reason) {
    }

    public record ReturnOrder(String returnId, String locationId, List<ReturnLine> lines) {

        public List<FieldError> problems() {
            Checks checks = new Checks();
            checks.id("returnId", returnId);
            checks.id("locationId", locationId);
            checks.nonEmpty("lines", lines);
            checkLines(checks, lines, l -> new QuantityLine(l.lineId(), l.sku(), l.quantity()), (at, l) -> {
                if (l.resellable() == null) {
                    checks.add(at + ".resellable", "is required");
                }
            });
            return checks.errors();
        }

        public OrderEvent toEvent(Envelope envelope, String orderId) {
            return order(envelope, orderId, new ReturnReceived(returnId, locationId, lines.stream()
                    .map(l -> new ReturnedLine(l.lineId(), l.sku(), l.quantity(), l.resellable(), l.reason())).toList()));
        }
    }

    private static void quantityLines(Checks checks, List<QuantityLine> lines) {
        checkLines(checks, lines, l -> l, (at, l) -> { });
    }

    /** Checks each line's id, SKU and quantity (seen through {@code common}), then {@code extra}. */
    private static <L> void checkLines(Checks checks, List<L> lines, Function<L, QuantityLine> common, BiConsumer<String, L> extra) {
        if (lines == null) {
            return;
        }
        for (int i = 0; i < lines.size(); i++) {
            L line = lines.get(i);
            String at = "lines[" + i + "]";
            if (line == null) {
                checks.add(at, "must be an object");
                continue;
            }
            QuantityLine q = common.apply(line);
            checks.id(at + ".lineId", q.lineId());
            checks.id(at + ".sku", q.sku());
            checks.positive(at + ".quantity", q.quantity());
            extra.accept(at, line);
        }
    }

    private static OrderEvent order(Envelope envelope, String orderId, Object payload) {
        return OrderEvent.newBuilder().setEventId(envelope.eventId()).setEventTime(envelope.eventTime())
                .setChannel(envelope.channel()).setSourceSystem(envelope.sourceSystem())
                .setOrderId(orderId).setPayload(payload).build();
    }
}
