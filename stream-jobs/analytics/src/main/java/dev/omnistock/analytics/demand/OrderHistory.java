package dev.omnistock.analytics.demand;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One order as the demand figures need it: its channel, currency, requested location and lines, and
 * the events already counted. Turns each order event into demand facts.
 *
 * <p>Cancels, shipments and returns are counted under the order's channel and currency, so that a
 * channel's cancellations sit beside its orders. A cancel counts the units still open (a line cannot
 * be cancelled twice or after it shipped); an event whose id was counted before counts nothing.
 *
 * @param channel    null until the order's placement is seen
 * @param eventIds   the events already counted (an order has few)
 */
public record OrderHistory(String channel, String currency, String locationId, OrderedLine[] lines, String[] eventIds)
        implements Serializable {

    public static final OrderHistory UNSEEN = new OrderHistory(null, null, null, new OrderedLine[0], new String[0]);

    /** The history after the event, and the facts the event adds. */
    public record Applied(OrderHistory history, List<DemandFact> facts) {
    }

    public boolean placed() {
        return channel != null;
    }

    public Applied apply(OrderActivity event) {
        if (Arrays.asList(eventIds).contains(event.eventId())
                || (event.kind() == OrderActivityKind.PLACED && placed())) {
            return new Applied(this, List.of());
        }
        return switch (event.kind()) {
            case PLACED -> place(event);
            case CANCELLED -> cancel(event);
            case SHIPPED -> ship(event);
            case RETURNED -> returned(event);
        };
    }

    private Applied place(OrderActivity event) {
        String location = event.locationId() == null ? DemandFact.UNASSIGNED : event.locationId();
        List<DemandFact> facts = new ArrayList<>();
        List<OrderedLine> placed = new ArrayList<>();
        Set<String> skusCounted = new HashSet<>();
        for (OrderActivityLine line : event.lines()) {
            BigDecimal revenue = line.unitPrice().multiply(BigDecimal.valueOf(line.quantity()));
            // An order counts once per SKU, however many of its lines carry that SKU.
            long orders = skusCounted.add(line.sku()) ? 1 : 0;
            facts.add(new DemandFact(factId(event, line), event.eventTime(), line.sku(), event.channel(), location,
                    event.currency(), line.quantity(), orders, revenue, 0, 0, 0));
            placed.add(new OrderedLine(line.lineId(), line.sku(), line.quantity(), 0, 0, line.unitPrice()));
        }
        OrderHistory after = new OrderHistory(event.channel(), event.currency(), location,
                placed.toArray(OrderedLine[]::new), withEvent(event));
        return new Applied(after, facts);
    }

    private Applied cancel(OrderActivity event) {
        Map<String, OrderedLine> byId = linesById();
        List<DemandFact> facts = new ArrayList<>();
        if (event.wholeOrder()) {
            for (OrderedLine line : lines) {
                int units = line.open();
                if (units > 0) {
                    byId.put(line.lineId(), line.cancel(units));
                    facts.add(fact(event, line.lineId(), line.sku(), orderLocation(), units, 0, 0));
                }
            }
        } else {
            for (OrderActivityLine cancelled : event.lines()) {
                OrderedLine line = byId.get(cancelled.lineId());
                int units = line == null ? cancelled.quantity() : Math.min(cancelled.quantity(), line.open());
                if (line != null) {
                    byId.put(line.lineId(), line.cancel(units));
                }
                if (units > 0) {
                    facts.add(fact(event, cancelled.lineId(), cancelled.sku(), orderLocation(), units, 0, 0));
                }
            }
        }
        return new Applied(with(byId, event), facts);
    }

    private Applied ship(OrderActivity event) {
        Map<String, OrderedLine> byId = linesById();
        List<DemandFact> facts = new ArrayList<>();
        for (OrderActivityLine shipped : event.lines()) {
            OrderedLine line = byId.get(shipped.lineId());
            if (line != null) {
                byId.put(line.lineId(), line.ship(shipped.quantity()));
            }
            facts.add(fact(event, shipped.lineId(), shipped.sku(), event.locationId(), 0, shipped.quantity(), 0));
        }
        return new Applied(with(byId, event), facts);
    }

    private Applied returned(OrderActivity event) {
        List<DemandFact> facts = new ArrayList<>();
        for (OrderActivityLine returned : event.lines()) {
            facts.add(fact(event, returned.lineId(), returned.sku(), event.locationId(), 0, 0, returned.quantity()));
        }
        return new Applied(with(linesById(), event), facts);
    }

    private DemandFact fact(OrderActivity event, String lineId, String sku, String location,
                            long cancelled, long shipped, long returned) {
        return new DemandFact(event.eventId() + "/" + lineId, event.eventTime(), sku,
                placed() ? channel : event.channel(), location,
                placed() ? currency : DemandFact.NO_CURRENCY,
                0, 0, BigDecimal.ZERO.setScale(4), cancelled, shipped, returned);
    }

    private String orderLocation() {
        return placed() ? locationId : DemandFact.UNASSIGNED;
    }

    private static String factId(OrderActivity event, OrderActivityLine line) {
        return event.eventId() + "/" + line.lineId();
    }

    private Map<String, OrderedLine> linesById() {
        Map<String, OrderedLine> byId = new LinkedHashMap<>();
        for (OrderedLine line : lines) {
            byId.put(line.lineId(), line);
        }
        return byId;
    }

    private OrderHistory with(Map<String, OrderedLine> byId, OrderActivity event) {
        return new OrderHistory(channel, currency, locationId, byId.values().toArray(OrderedLine[]::new), withEvent(event));
    }

    private String[] withEvent(OrderActivity event) {
        String[] ids = Arrays.copyOf(eventIds, eventIds.length + 1);
        ids[eventIds.length] = event.eventId();
        return ids;
    }
}
