package dev.omnistock.ingestion.gate;

import dev.omnistock.events.InboundExpected;
import dev.omnistock.events.OrderCancelled;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.OrderLine;
import dev.omnistock.events.OrderPlaced;
import dev.omnistock.events.OrderShipped;
import dev.omnistock.events.ReturnReceived;
import dev.omnistock.events.StockAdjusted;
import dev.omnistock.events.StockCounted;
import dev.omnistock.events.StockEvent;
import dev.omnistock.events.StockReceived;
import dev.omnistock.ids.Ids;
import java.util.ArrayList;
import java.util.List;

/** What makes a well-formed canonical event unusable: the rules the gate applies to raw topics. */
public final class CanonicalChecks {

    private CanonicalChecks() {
    }

    public static List<String> problems(String key, OrderEvent event) {
        List<String> problems = new ArrayList<>();
        if (blank(event.getOrderId())) {
            problems.add("orderId is blank");
        } else if (!Ids.valid(event.getOrderId())) {
            problems.add(notAnId("orderId", event.getOrderId()));
        } else if (!event.getOrderId().equals(key)) {
            problems.add("record key '" + key + "' is not the orderId '" + event.getOrderId() + "'");
        }
        Object payload = event.getPayload();
        if (payload instanceof OrderPlaced placed) {
            if (placed.getLines().isEmpty()) {
                problems.add("the order has no lines");
            }
            if (!placed.getCurrency().matches("[A-Z]{3}")) {
                problems.add("currency '" + placed.getCurrency() + "' is not an ISO 4217 code");
            }
            for (OrderLine line : placed.getLines()) {
                if (blank(line.getSku()) || line.getQuantity() <= 0 || line.getUnitPrice().signum() < 0) {
                    problems.add("line " + line.getLineId() + " needs a SKU, a quantity above 0 and a price of 0 or more");
                } else if (!Ids.valid(line.getSku())) {
                    problems.add(notAnId("line " + line.getLineId() + "'s sku", line.getSku()));
                }
            }
        } else if (payload instanceof OrderCancelled cancelled) {
            if (!cancelled.getWholeOrder() && cancelled.getLines().isEmpty()) {
                problems.add("a partial cancellation names no lines");
            }
            cancelled.getLines().stream().filter(l -> l.getQuantity() <= 0)
                    .forEach(l -> problems.add("cancelled line " + l.getLineId() + " has quantity " + l.getQuantity()));
        } else if (payload instanceof OrderShipped shipped) {
            if (blank(shipped.getLocationId()) || shipped.getLines().isEmpty()) {
                problems.add("a shipment needs a location and lines");
            }
            shipped.getLines().stream().filter(l -> l.getQuantity() <= 0)
                    .forEach(l -> problems.add("shipped line " + l.getLineId() + " has quantity " + l.getQuantity()));
        } else if (payload instanceof ReturnReceived returned) {
            if (blank(returned.getLocationId()) || returned.getLines().isEmpty()) {
                problems.add("a return needs a location and lines");
            }
            returned.getLines().stream().filter(l -> l.getQuantity() <= 0)
                    .forEach(l -> problems.add("returned line " + l.getLineId() + " has quantity " + l.getQuantity()));
        }
        return problems;
    }

    public static List<String> problems(String key, StockEvent event) {
        List<String> problems = new ArrayList<>();
        if (blank(event.getSku())) {
            problems.add("sku is blank");
        } else if (!Ids.valid(event.getSku())) {
            problems.add(notAnId("sku", event.getSku()));
        } else if (!event.getSku().equals(key)) {
            problems.add("record key '" + key + "' is not the SKU '" + event.getSku() + "'");
        }
        if (blank(event.getLocationId())) {
            problems.add("locationId is blank");
        } else if (!Ids.valid(event.getLocationId())) {
            problems.add(notAnId("locationId", event.getLocationId()));
        }
        Object payload = event.getPayload();
        if (payload instanceof StockCounted counted && counted.getOnHand() < 0) {
            problems.add("a count cannot be negative: " + counted.getOnHand());
        } else if (payload instanceof StockReceived received && received.getQuantity() <= 0) {
            problems.add("received quantity must be above 0: " + received.getQuantity());
        } else if (payload instanceof StockAdjusted adjusted && adjusted.getDelta() == 0) {
            problems.add("an adjustment of 0 changes nothing");
        } else if (payload instanceof InboundExpected inbound && inbound.getQuantity() <= 0) {
            problems.add("expected inbound quantity must be above 0: " + inbound.getQuantity());
        }
        return problems;
    }

    /** The services look orders, SKUs and locations up by these ids: one they could not take would be lost. */
    private static String notAnId(String field, String value) {
        return field + " '" + value + "' is not an id: " + Ids.FORM;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
