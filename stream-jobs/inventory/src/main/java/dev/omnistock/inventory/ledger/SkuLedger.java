package dev.omnistock.inventory.ledger;

import dev.omnistock.inventory.alerts.AlertKind;
import dev.omnistock.inventory.alerts.AlertRule;
import dev.omnistock.inventory.alerts.StockLevel;
import dev.omnistock.inventory.ledger.LedgerCommand.AcceptReturn;
import dev.omnistock.inventory.ledger.LedgerCommand.AdjustOnHand;
import dev.omnistock.inventory.ledger.LedgerCommand.Configure;
import dev.omnistock.inventory.ledger.LedgerCommand.Count;
import dev.omnistock.inventory.ledger.LedgerCommand.ExpectInbound;
import dev.omnistock.inventory.ledger.LedgerCommand.MarkUnavailable;
import dev.omnistock.inventory.ledger.LedgerCommand.Receive;
import dev.omnistock.inventory.ledger.LedgerCommand.Release;
import dev.omnistock.inventory.ledger.LedgerCommand.ReleaseUnavailable;
import dev.omnistock.inventory.ledger.LedgerCommand.Reserve;
import dev.omnistock.inventory.ledger.LedgerCommand.Ship;
import dev.omnistock.inventory.ledger.Outcome.Alert;
import dev.omnistock.inventory.ledger.Outcome.ReservationDecision;
import dev.omnistock.inventory.sourcing.Allocation;
import dev.omnistock.inventory.sourcing.SourcingPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The inventory ledger of one SKU across all its locations, and every rule that changes it.
 *
 * <p>One Kafka Streams task owns a SKU, so commands arrive one at a time: two orders racing for the
 * last unit are decided in sequence and only one gets it. A command that would make a quantity
 * impossible (negative, shipping more than is committed) is rejected and changes nothing.
 */
public final class SkuLedger {

    private static final String NETWORK = "";

    private String sku;
    private final TreeMap<String, LocationStock> locations = new TreeMap<>();
    private int skuSafetyStock;
    private Integer skuLowStockThreshold;
    /** Last alerted level per scope: NETWORK or a locationId with its own threshold. */
    private final TreeMap<String, StockLevel> alertLevels = new TreeMap<>();
    /** False until the first stock movement: settings alone say nothing about stock, so they never alert. */
    private boolean stockKnown;
    private long version;

    /** For deserialisation only. */
    private SkuLedger() {
    }

    public SkuLedger(String sku) {
        this.sku = sku;
    }

    public String sku() {
        return sku;
    }

    /**
     * Applies one command.
     *
     * @param eventId         the source event's id; an id already applied is a duplicate and is ignored
     * @param eventTimeMillis when it happened at the source
     * @param reservations    this SKU's open reservations
     * @param applied         the events this SKU's ledger has applied
     */
    public Outcome apply(String eventId, long eventTimeMillis, LedgerCommand command, InventoryRules rules,
                         ReservationBook reservations, AppliedEvents applied) {
        if (applied.contains(eventId)) {
            return Outcome.ignored("event " + eventId + " was already applied");
        }
        Outcome outcome = dispatch(command, eventTimeMillis, rules, reservations);
        if (outcome.status() == Outcome.Status.REJECTED) {
            return outcome;
        }
        applied.add(eventId);
        if (outcome.status() == Outcome.Status.IGNORED) {
            return outcome;
        }
        version++;
        stockKnown |= !(command instanceof Configure);
        List<Alert> alerts = new ArrayList<>(outcome.alerts());
        if (stockKnown) {
            alerts.addAll(evaluateAlerts(rules));
        }
        return new Outcome(outcome.status(), outcome.reason(), outcome.reservation(), alerts);
    }

    // Java 17 has no pattern matching in switch; LedgerCommand is sealed, so this chain is complete.
    private Outcome dispatch(LedgerCommand command, long eventTime, InventoryRules rules, ReservationBook reservations) {
        if (command instanceof Count c) {
            return count(c, eventTime);
        } else if (command instanceof AdjustOnHand a) {
            return adjustOnHand(a, eventTime);
        } else if (command instanceof MarkUnavailable m) {
            return markUnavailable(m);
        } else if (command instanceof ReleaseUnavailable r) {
            return releaseUnavailable(r);
        } else if (command instanceof ExpectInbound e) {
            return expectInbound(e, eventTime, rules);
        } else if (command instanceof Receive r) {
            return receive(r, eventTime);
        } else if (command instanceof Reserve r) {
            return reserve(r, rules.sourcing(), reservations);
        } else if (command instanceof Release r) {
            return release(r, reservations);
        } else if (command instanceof Ship s) {
            return ship(s, eventTime, reservations);
        } else if (command instanceof AcceptReturn r) {
            return acceptReturn(r, eventTime);
        } else if (command instanceof Configure c) {
            return configure(c);
        }
        throw new IllegalArgumentException("unknown ledger command " + command);
    }

    private Outcome count(Count c, long eventTime) {
        if (c.onHand() < 0) {
            return Outcome.rejected("a count cannot be negative: " + c.onHand() + " at " + c.locationId());
        }
        LocationStock stock = location(c.locationId());
        if (eventTime < stock.lastCountAtMillis) {
            return Outcome.ignored("a newer count at " + c.locationId() + " already replaced this one");
        }
        stock.onHand = c.onHand();
        // Units counted away cannot stay on hold: unavailable is part of on_hand.
        stock.unavailable = Math.min(stock.unavailable, stock.onHand);
        stock.lastCountAtMillis = eventTime;
        return Outcome.applied(List.of());
    }

    private Outcome adjustOnHand(AdjustOnHand a, long eventTime) {
        LocationStock stock = location(a.locationId());
        if (eventTime < stock.lastCountAtMillis) {
            return Outcome.ignored("the count at " + a.locationId() + " after this adjustment already includes it");
        }
        if (stock.onHand + a.delta() < 0) {
            return Outcome.rejected("adjusting by " + a.delta() + " would leave " + (stock.onHand + a.delta())
                    + " on hand at " + a.locationId());
        }
        stock.onHand += a.delta();
        stock.unavailable = Math.min(stock.unavailable, stock.onHand);
        return Outcome.applied(List.of());
    }

    private Outcome markUnavailable(MarkUnavailable m) {
        if (m.quantity() <= 0) {
            return Outcome.rejected("units to mark unavailable must be more than 0, was " + m.quantity());
        }
        LocationStock stock = location(m.locationId());
        if (stock.unavailable + m.quantity() > stock.onHand) {
            return Outcome.rejected("cannot mark " + m.quantity() + " unavailable at " + m.locationId() + ": "
                    + stock.onHand + " on hand, " + stock.unavailable + " already unavailable");
        }
        stock.unavailable += m.quantity();
        return Outcome.applied(List.of());
    }

    private Outcome releaseUnavailable(ReleaseUnavailable r) {
        if (r.quantity() <= 0) {
            return Outcome.rejected("units to release must be more than 0, was " + r.quantity());
        }
        LocationStock stock = location(r.locationId());
        if (r.quantity() > stock.unavailable) {
            return Outcome.rejected("cannot release " + r.quantity() + " at " + r.locationId() + ": only "
                    + stock.unavailable + " unavailable");
        }
        stock.unavailable -= r.quantity();
        return Outcome.applied(List.of());
    }

    private Outcome expectInbound(ExpectInbound e, long eventTime, InventoryRules rules) {
        if (e.quantity() <= 0) {
            return Outcome.rejected("expected inbound quantity must be more than 0, was " + e.quantity());
        }
        LocationStock stock = location(e.locationId());
        // A revised expectation replaces the earlier one for the same inbound.
        Integer before = stock.expectedInbound.put(e.inboundId(), e.quantity());
        stock.incoming += e.quantity() - (before == null ? 0 : before);
        stock.inboundExpiresAt.put(e.inboundId(), e.expectedAtMillis().orElse(eventTime) + rules.inboundExpiry().toMillis());
        return Outcome.applied(List.of());
    }

    /**
     * Expected inbound that is overdue at {@code nowMillis} stops counting as incoming (it is not coming).
     * True when anything expired: the position changed.
     */
    public boolean expireInbound(long nowMillis) {
        boolean changed = false;
        for (LocationStock stock : locations.values()) {
            for (Map.Entry<String, Long> due : List.copyOf(stock.inboundExpiresAt.entrySet())) {
                if (due.getValue() <= nowMillis) {
                    Integer open = stock.expectedInbound.remove(due.getKey());
                    stock.inboundExpiresAt.remove(due.getKey());
                    if (open != null) {
                        stock.incoming -= open;
                        changed = true;
                    }
                }
            }
        }
        if (changed) {
            version++;
        }
        return changed;
    }

    /** When the next expected inbound expires, if any is open. */
    public OptionalLong nextInboundExpiry() {
        return locations.values().stream().flatMap(s -> s.inboundExpiresAt.values().stream()).mapToLong(Long::longValue).min();
    }

    private Outcome receive(Receive r, long eventTime) {
        if (r.quantity() <= 0) {
            return Outcome.rejected("received quantity must be more than 0, was " + r.quantity());
        }
        LocationStock stock = location(r.locationId());
        r.inboundId().ifPresent(inbound -> {
            Integer open = stock.expectedInbound.get(inbound);
            if (open != null) {
                int answered = Math.min(open, r.quantity());
                stock.incoming -= answered;
                if (open - answered == 0) {
                    stock.expectedInbound.remove(inbound);
                    stock.inboundExpiresAt.remove(inbound);
                } else {
                    stock.expectedInbound.put(inbound, open - answered);
                }
            }
        });
        if (eventTime >= stock.lastCountAtMillis) {
            stock.onHand += r.quantity();
        }
        return Outcome.applied(List.of());
    }

    /**
     * Each line is reserved once: the order side sends one RESERVE per line of an order it has not seen
     * before, under exactly-once. So this does not look for an earlier reservation of the line: for
     * every new line that look-up would search the whole store and find nothing.
     */
    private Outcome reserve(Reserve r, SourcingPolicy sourcing, ReservationBook reservations) {
        if (r.sold()) {
            return reserveSold(r, reservations);
        }
        // In no particular order: the sourcing policy orders locations itself.
        Map<String, Integer> available = new HashMap<>(locations.size() * 2);
        locations.forEach((id, stock) -> available.put(id, stock.available(safetyStockAt(stock))));
        SourcingPolicy.Decision decision = sourcing.allocate(r.quantity(), r.requestedLocationId(), r.requestedOnly(), available);
        ReservationDecision answer = new ReservationDecision(r.orderId(), r.lineId(), r.quantity(),
                decision.allocations(), decision.rejectionReason());
        if (!decision.accepted()) {
            // A refusal changes no quantity but is still an answer the order is waiting for.
            return new Outcome(Outcome.Status.IGNORED, decision.rejectionReason(), Optional.of(answer), List.of());
        }
        for (Allocation allocation : decision.allocations()) {
            location(allocation.locationId()).committed += allocation.quantity();
        }
        reservations.put(r.orderId(), r.lineId(), decision.allocations());
        return Outcome.applied(List.of()).withReservation(answer);
    }

    /**
     * A till sale is a fact: the goods are gone from the store whatever the ledger believed, so the line is
     * reserved there in full, safety stock or not. If more is then committed than is on hand and sellable,
     * the ledger was wrong (a count will correct it): OVERSOLD says so, with how many units are missing.
     */
    private Outcome reserveSold(Reserve r, ReservationBook reservations) {
        if (r.quantity() <= 0 || r.requestedLocationId().isEmpty()) {
            String reason = r.quantity() <= 0 ? "quantity must be more than 0, was " + r.quantity() : "a till sale must name its store";
            return new Outcome(Outcome.Status.IGNORED, Optional.of(reason),
                    Optional.of(new ReservationDecision(r.orderId(), r.lineId(), r.quantity(), List.of(), Optional.of(reason))), List.of());
        }
        String store = r.requestedLocationId().get();
        LocationStock stock = location(store);
        stock.committed += r.quantity();
        List<Allocation> allocations = List.of(new Allocation(store, r.quantity()));
        reservations.put(r.orderId(), r.lineId(), allocations);
        int unreserved = stock.unreserved();
        List<Alert> alerts = unreserved < 0 ? List.of(new Alert(Optional.of(store), AlertKind.OVERSOLD, unreserved, 0)) : List.of();
        return Outcome.applied(alerts).withReservation(
                new ReservationDecision(r.orderId(), r.lineId(), r.quantity(), allocations, Optional.empty()));
    }

    private Outcome release(Release r, ReservationBook reservations) {
        Optional<List<Allocation>> reserved = reservations.find(r.orderId(), r.lineId());
        if (reserved.isEmpty()) {
            return Outcome.ignored("line " + r.orderId() + "/" + r.lineId() + " has no open reservation to release");
        }
        int toRelease = r.quantity().orElse(Integer.MAX_VALUE);
        if (toRelease <= 0) {
            return Outcome.rejected("units to release must be more than 0, was " + toRelease);
        }
        // Latest allocation first: the earliest, usually preferred, location keeps its reservation longest.
        List<Allocation> remaining = new ArrayList<>(reserved.get());
        for (int i = remaining.size() - 1; i >= 0 && toRelease > 0; i--) {
            Allocation allocation = remaining.get(i);
            int take = Math.min(toRelease, allocation.quantity());
            location(allocation.locationId()).committed -= take;
            toRelease -= take;
            remaining.set(i, new Allocation(allocation.locationId(), allocation.quantity() - take));
        }
        storeRemaining(reservations, r.orderId(), r.lineId(), remaining);
        return Outcome.applied(List.of());
    }

    private Outcome ship(Ship s, long eventTime, ReservationBook reservations) {
        if (s.quantity() <= 0) {
            return Outcome.rejected("shipped quantity must be more than 0, was " + s.quantity());
        }
        String key = s.orderId() + "/" + s.lineId();
        List<Allocation> reserved = reservations.find(s.orderId(), s.lineId()).orElse(List.of());
        int committedHere = reserved.stream().filter(a -> a.locationId().equals(s.locationId()))
                .mapToInt(Allocation::quantity).sum();
        if (s.quantity() > committedHere) {
            return Outcome.rejected("shipping " + s.quantity() + " of line " + key + " from " + s.locationId()
                    + " but only " + committedHere + " are committed there");
        }
        LocationStock stock = location(s.locationId());
        stock.committed -= s.quantity();
        if (eventTime >= stock.lastCountAtMillis) {
            stock.onHand = Math.max(0, stock.onHand - s.quantity());
            stock.unavailable = Math.min(stock.unavailable, stock.onHand);
        }
        List<Allocation> remaining = new ArrayList<>();
        int toShip = s.quantity();
        for (Allocation allocation : reserved) {
            int take = allocation.locationId().equals(s.locationId()) ? Math.min(toShip, allocation.quantity()) : 0;
            toShip -= take;
            remaining.add(new Allocation(allocation.locationId(), allocation.quantity() - take));
        }
        storeRemaining(reservations, s.orderId(), s.lineId(), remaining);
        return Outcome.applied(List.of());
    }

    private Outcome acceptReturn(AcceptReturn r, long eventTime) {
        if (r.quantity() <= 0) {
            return Outcome.rejected("returned quantity must be more than 0, was " + r.quantity());
        }
        LocationStock stock = location(r.locationId());
        if (eventTime < stock.lastCountAtMillis) {
            return Outcome.ignored("the count at " + r.locationId() + " after this return already includes it");
        }
        stock.onHand += r.quantity();
        if (!r.resellable()) {
            stock.unavailable += r.quantity();
        }
        return Outcome.applied(List.of());
    }

    private Outcome configure(Configure c) {
        if (c.safetyStock().orElse(0) < 0 || c.lowStockThreshold().orElse(0) < 0) {
            return Outcome.rejected("safety stock and threshold must be 0 or more");
        }
        if (c.locationId().isPresent()) {
            LocationStock stock = location(c.locationId().get());
            c.safetyStock().ifPresent(v -> stock.safetyStock = v);
            c.lowStockThreshold().ifPresent(v -> stock.lowStockThreshold = v);
        } else {
            c.safetyStock().ifPresent(v -> skuSafetyStock = v);
            c.lowStockThreshold().ifPresent(v -> skuLowStockThreshold = v);
        }
        return Outcome.applied(List.of());
    }

    /** The current position: every known location and the network totals. */
    public Position position() {
        List<Position.LocationPosition> perLocation = new ArrayList<>();
        int onHand = 0, committed = 0, incoming = 0, unavailable = 0, safety = 0, available = 0;
        for (Map.Entry<String, LocationStock> entry : locations.entrySet()) {
            LocationStock s = entry.getValue();
            int safetyHere = safetyStockAt(s);
            Position.Totals totals = new Position.Totals(s.onHand, s.committed, s.incoming, s.unavailable,
                    safetyHere, s.available(safetyHere));
            perLocation.add(new Position.LocationPosition(entry.getKey(), totals));
            onHand += totals.onHand();
            committed += totals.committed();
            incoming += totals.incoming();
            unavailable += totals.unavailable();
            safety += totals.safetyStock();
            available += totals.available();
        }
        return new Position(sku, perLocation,
                new Position.Totals(onHand, committed, incoming, unavailable, safety, available), version);
    }

    /** The network's available units, as {@link #position()} totals them, without building the position. */
    private int networkAvailable() {
        int available = 0;
        for (LocationStock stock : locations.values()) {
            available += stock.available(safetyStockAt(stock));
        }
        return available;
    }

    private List<Alert> evaluateAlerts(InventoryRules rules) {
        AlertRule rule = rules.alerts();
        List<Alert> alerts = new ArrayList<>();
        int networkThreshold = skuLowStockThreshold != null ? skuLowStockThreshold : rules.defaultLowStockThreshold();
        evaluate(rule, NETWORK, networkAvailable(), networkThreshold, alerts);
        for (Map.Entry<String, LocationStock> entry : locations.entrySet()) {
            LocationStock stock = entry.getValue();
            if (stock.lowStockThreshold != null) {
                evaluate(rule, entry.getKey(), stock.available(safetyStockAt(stock)), stock.lowStockThreshold, alerts);
            }
        }
        return alerts;
    }

    private void evaluate(AlertRule rule, String scope, int available, int threshold, List<Alert> alerts) {
        AlertRule.Transition transition = rule.evaluate(alertLevels.getOrDefault(scope, StockLevel.IN_STOCK), available, threshold);
        alertLevels.put(scope, transition.level());
        transition.alert().ifPresent(kind -> alerts.add(new Alert(
                scope.equals(NETWORK) ? Optional.empty() : Optional.of(scope), kind, available, threshold)));
    }

    private int safetyStockAt(LocationStock stock) {
        return stock.safetyStock != null ? stock.safetyStock : skuSafetyStock;
    }

    private LocationStock location(String locationId) {
        return locations.computeIfAbsent(locationId, id -> new LocationStock());
    }

    private static void storeRemaining(ReservationBook reservations, String orderId, String lineId, List<Allocation> remaining) {
        List<Allocation> open = remaining.stream().filter(a -> a.quantity() > 0).toList();
        if (open.isEmpty()) {
            reservations.remove(orderId, lineId);
        } else {
            reservations.put(orderId, lineId, open);
        }
    }
}
