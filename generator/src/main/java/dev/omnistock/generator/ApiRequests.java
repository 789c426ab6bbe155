package dev.omnistock.generator;

import dev.omnistock.events.OrderCancelled;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.OrderPlaced;
import dev.omnistock.events.OrderShipped;
import dev.omnistock.events.ReturnReceived;
import dev.omnistock.events.StockCounted;
import dev.omnistock.events.StockEvent;
import dev.omnistock.events.StockReceived;
import java.util.HashMap;
import java.util.Map;

/** The ingestion API request a generated event corresponds to: path and JSON body. */
final class ApiRequests {

    record Request(String path, Map<String, Object> body) {
    }

    private ApiRequests() {
    }

    static Request of(Object event) {
        if (event instanceof OrderEvent order) {
            String base = "/v1/orders/" + order.getOrderId();
            Object payload = order.getPayload();
            if (payload instanceof OrderPlaced p) {
                Map<String, Object> body = new HashMap<>();
                body.put("orderId", order.getOrderId());
                body.put("customerId", p.getCustomerId());
                body.put("currency", p.getCurrency());
                body.put("fulfillmentMethod", p.getFulfillmentMethod().name());
                body.put("requestedLocationId", p.getRequestedLocationId());
                body.put("lines", p.getLines().stream().map(l -> Map.of("lineId", l.getLineId(), "sku", l.getSku(),
                        "quantity", l.getQuantity(), "unitPrice", l.getUnitPrice())).toList());
                return new Request("/v1/orders", body);
            } else if (payload instanceof OrderCancelled c) {
                return new Request(base + "/cancellations", Map.of("wholeOrder", c.getWholeOrder(),
                        "lines", c.getLines().stream().map(l -> Map.of("lineId", l.getLineId(), "sku", l.getSku(), "quantity", l.getQuantity())).toList(),
                        "reason", String.valueOf(c.getReason())));
            } else if (payload instanceof OrderShipped s) {
                return new Request(base + "/shipments", Map.of("shipmentId", s.getShipmentId(), "locationId", s.getLocationId(),
                        "lines", s.getLines().stream().map(l -> Map.of("lineId", l.getLineId(), "sku", l.getSku(), "quantity", l.getQuantity())).toList()));
            } else if (payload instanceof ReturnReceived r) {
                return new Request(base + "/returns", Map.of("returnId", r.getReturnId(), "locationId", r.getLocationId(),
                        "lines", r.getLines().stream().map(l -> Map.of("lineId", l.getLineId(), "sku", l.getSku(),
                                "quantity", l.getQuantity(), "resellable", l.getResellable())).toList()));
            }
        } else if (event instanceof StockEvent stock) {
            if (stock.getPayload() instanceof StockCounted c) {
                return new Request("/v1/stock/counts", Map.of("sku", stock.getSku(), "locationId", stock.getLocationId(),
                        "onHand", c.getOnHand(), "countType", c.getCountType().name()));
            } else if (stock.getPayload() instanceof StockReceived r) {
                return new Request("/v1/stock/receipts", Map.of("sku", stock.getSku(), "locationId", stock.getLocationId(),
                        "quantity", r.getQuantity()));
            }
        }
        throw new IllegalArgumentException("the generator made an event the API has no endpoint for: " + event);
    }
}
