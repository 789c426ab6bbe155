package dev.omnistock.inventory.topology;

import dev.omnistock.inventory.ledger.AppliedEvents;
import dev.omnistock.inventory.ledger.InventoryRules;
import dev.omnistock.inventory.ledger.LedgerCommand;
import dev.omnistock.inventory.ledger.Outcome;
import dev.omnistock.inventory.ledger.Position;
import dev.omnistock.inventory.ledger.InMemoryAppliedEvents;
import dev.omnistock.inventory.ledger.InMemoryReservationBook;
import dev.omnistock.inventory.ledger.SkuLedger;
import dev.omnistock.generator.model.InventoryOracle;
import dev.omnistock.generator.model.Step;
import dev.omnistock.generator.model.OrderStatusOracle;
import dev.omnistock.inventory.orders.LineInstruction;
import dev.omnistock.inventory.orders.OrderLineRequest;
import dev.omnistock.inventory.orders.OrderReservation;
import dev.omnistock.inventory.orders.OrderStatus;
import dev.omnistock.inventory.orders.OrderValidation;
import dev.omnistock.inventory.sourcing.Allocation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;

/**
 * The service's rules wired together in memory the way its two processors wire them (stores written
 * as values, a refused change never written back), with the messages between the two sides held in
 * queues that the test delivers when it chooses: any interleaving the topics allow, per-key order kept.
 * Reads the same views as {@link InventoryOracle}, to be compared with it.
 */
final class RulesHarness {

    private record Command(LineInstruction instruction, String commandId, long eventTime) {
    }

    private record Answer(String orderId, Outcome.ReservationDecision decision) {
    }

    private final InventoryRules rules;
    private final boolean partialOrders;
    private final long reservationExpiryMillis;
    private final Serde<SkuLedger> ledgerSerde = StoreValueSerde.of(SkuLedger.class);
    private final Serde<OrderReservation> orderSerde = StoreValueSerde.of(OrderReservation.class);
    private final Map<String, byte[]> ledgers = new TreeMap<>();
    private final Map<String, InMemoryAppliedEvents> applied = new HashMap<>();
    private final Map<String, InMemoryReservationBook> reservations = new TreeMap<>();
    private final Map<String, byte[]> orders = new TreeMap<>();
    private final Set<String> orderEventsApplied = new HashSet<>();
    private final Map<String, Long> expiries = new TreeMap<>();
    private final Map<String, Deque<Command>> toLedgers = new TreeMap<>();
    private final Map<String, Deque<Answer>> toOrders = new TreeMap<>();
    private final List<String> decisions = new ArrayList<>();
    private final List<String> deadLetters = new ArrayList<>();
    private final List<String> alerts = new ArrayList<>();
    private final Map<String, List<OrderStatusOracle.Change>> statusChanges = new TreeMap<>();
    private long now;

    RulesHarness(InventoryRules rules, boolean partialOrders, long reservationExpiryMillis, long startMillis) {
        this.rules = rules;
        this.partialOrders = partialOrders;
        this.reservationExpiryMillis = reservationExpiryMillis;
        this.now = startMillis;
    }

    void apply(Step step) {
        if (step instanceof Step.Stock s) {
            applyToLedger(s.sku(), s.eventId(), s.eventTime(), stockCommand(s), false, "stock " + s.eventId());
        } else if (step instanceof Step.SafetyStock s) {
            applyToLedger(s.sku(), s.eventId(), s.eventTime(), new LedgerCommand.Configure(Optional.ofNullable(s.location()),
                    OptionalInt.of(s.safetyStock()), OptionalInt.empty()), false, "settings " + s.eventId());
        } else if (step instanceof Step.Place p) {
            place(p);
        } else if (step instanceof Step.Cancel c) {
            cancel(c);
        } else if (step instanceof Step.Ship s) {
            ship(s);
        } else if (step instanceof Step.Return r) {
            if (orderEventsApplied.add(r.eventId())) {
                send(List.of(new LineInstruction(r.orderId(), r.line().lineId(), r.line().sku(),
                        r.resellable() ? LineInstruction.Action.RETURN_RESELLABLE : LineInstruction.Action.RETURN_DAMAGED,
                        r.line().quantity(), Optional.of(r.location()))), r.eventId(), r.eventTime());
                OrderReservation order = order(r.orderId());
                if (order != null) {
                    OrderStatus before = order.trackingStatus();
                    List<OrderReservation.LineState> linesBefore = order.lineStates();
                    if (order.returned(r.line().lineId(), r.line().quantity(), now)) {
                        tell(order, before, linesBefore, r.eventId());
                        store(order);
                    }
                }
            }
        } else if (step instanceof Step.DeliverCommand d) {
            Deque<Command> queue = toLedgers.get(d.sku());
            if (queue != null && !queue.isEmpty()) {
                deliver(queue.poll());
            }
        } else if (step instanceof Step.DeliverAnswer d) {
            Deque<Answer> queue = toOrders.get(d.orderId());
            if (queue != null && !queue.isEmpty()) {
                answer(queue.poll());
            }
        } else if (step instanceof Step.Advance a) {
            now += a.millis();
            passTime();
        }
    }

    void drain() {
        boolean delivered = true;
        while (delivered) {
            delivered = false;
            for (Deque<Command> queue : toLedgers.values()) {
                while (!queue.isEmpty()) {
                    deliver(queue.poll());
                    delivered = true;
                }
            }
            for (Deque<Answer> queue : toOrders.values()) {
                while (!queue.isEmpty()) {
                    answer(queue.poll());
                    delivered = true;
                }
            }
        }
    }

    // ---- the SKU side, as LedgerProcessor ----

    private static LedgerCommand stockCommand(Step.Stock s) {
        return switch (s.kind()) {
            case COUNT -> new LedgerCommand.Count(s.location(), s.quantity());
            case RECEIVE -> new LedgerCommand.Receive(s.location(), s.quantity(), Optional.ofNullable(s.inboundId()));
            case ADJUST -> new LedgerCommand.AdjustOnHand(s.location(), s.quantity());
            case DAMAGE -> new LedgerCommand.MarkUnavailable(s.location(), s.quantity());
            case RELEASE_HOLD -> new LedgerCommand.ReleaseUnavailable(s.location(), s.quantity());
            case EXPECT -> new LedgerCommand.ExpectInbound(s.location(), s.inboundId(), s.quantity(),
                    s.expectedAt() == null ? OptionalLong.empty() : OptionalLong.of(s.expectedAt()));
        };
    }

    private SkuLedger ledger(String sku) {
        byte[] stored = ledgers.get(sku);
        return stored == null ? new SkuLedger(sku) : ledgerSerde.deserializer().deserialize("", stored);
    }

    private void applyToLedger(String sku, String eventId, long eventTime, LedgerCommand command, boolean lineCommand, String letter) {
        SkuLedger ledger = ledger(sku);
        AppliedEvents seen = lineCommand ? AppliedEvents.NONE : applied.computeIfAbsent(sku, k -> new InMemoryAppliedEvents());
        Outcome outcome = ledger.apply(eventId, eventTime, command, rules, reservations.computeIfAbsent(sku, k -> new InMemoryReservationBook()), seen);
        if (outcome.status() == Outcome.Status.APPLIED) {
            ledgers.put(sku, ledgerSerde.serializer().serialize("", ledger));
            outcome.alerts().forEach(a -> alerts.add(sku + " " + a.locationId().orElse("*") + " " + a.kind() + " " + a.available()));
        } else if (outcome.status() == Outcome.Status.REJECTED) {
            deadLetters.add(letter);
        }
        outcome.reservation().ifPresent(decision -> toOrders.computeIfAbsent(decision.orderId(), k -> new ArrayDeque<>())
                .add(new Answer(decision.orderId(), decision)));
    }

    private void deliver(Command c) {
        LineInstruction i = c.instruction();
        LedgerCommand command = switch (i.action()) {
            case RESERVE -> new LedgerCommand.Reserve(i.orderId(), i.lineId(), i.quantity(), i.locationId(), i.locationOnly(), i.sold());
            case RELEASE -> new LedgerCommand.Release(i.orderId(), i.lineId(), i.quantity() == 0 ? OptionalInt.empty() : OptionalInt.of(i.quantity()));
            case SHIP -> new LedgerCommand.Ship(i.orderId(), i.lineId(), i.locationId().orElseThrow(), i.quantity());
            case RETURN_RESELLABLE -> new LedgerCommand.AcceptReturn(i.locationId().orElseThrow(), i.quantity(), true);
            case RETURN_DAMAGED -> new LedgerCommand.AcceptReturn(i.locationId().orElseThrow(), i.quantity(), false);
        };
        applyToLedger(i.sku(), c.commandId(), c.eventTime(), command, true, "command " + i.orderId() + "/" + i.lineId() + " " + i.action());
    }

    // ---- the order side, as OrderProcessor ----

    private OrderReservation order(String orderId) {
        byte[] stored = orders.get(orderId);
        return stored == null ? null : orderSerde.deserializer().deserialize("", stored);
    }

    private void store(OrderReservation order) {
        orders.put(order.orderId(), orderSerde.serializer().serialize("", order));
    }

    private void send(List<LineInstruction> instructions, String sourceEventId, long eventTime) {
        for (LineInstruction i : instructions) {
            toLedgers.computeIfAbsent(i.sku(), k -> new ArrayDeque<>())
                    .add(new Command(i, sourceEventId + "/" + i.lineId() + "/" + i.action(), eventTime));
        }
    }

    private void place(Step.Place p) {
        if (orders.containsKey(p.orderId())) {
            return;
        }
        List<OrderLineRequest> lines = p.lines().stream().map(l -> new OrderLineRequest(l.lineId(), l.sku(), l.quantity())).toList();
        if (OrderValidation.problem(lines).isPresent()) {
            deadLetters.add("order " + p.eventId());
            return;
        }
        List<LineInstruction> out = new ArrayList<>();
        OrderReservation order = OrderReservation.place(p.orderId(), p.eventId(), p.tillSale() ? "STORE_POS" : "WEB", lines,
                Optional.ofNullable(p.requestedLocation()), p.pickup(), p.tillSale(), partialOrders, out);
        tell(order, null, List.of(), p.eventId());
        store(order);
        send(out, p.eventId(), p.eventTime());
    }

    private void cancel(Step.Cancel c) {
        if (orderEventsApplied.contains(c.eventId())) {
            return;
        }
        OrderReservation order = order(c.orderId());
        if (order == null) {
            deadLetters.add("order " + c.eventId());
            return;
        }
        OrderStatus before = order.trackingStatus();
        List<OrderReservation.LineState> linesBefore = order.lineStates();
        List<LineInstruction> releases = order.cancel(c.whole() ? List.of() : List.copyOf(c.lines().keySet()), c.lines(), now);
        tell(order, before, linesBefore, c.eventId());
        store(order);
        orderEventsApplied.add(c.eventId());
        send(releases, c.eventId(), c.eventTime());
    }

    private void ship(Step.Ship s) {
        if (orderEventsApplied.contains(s.eventId())) {
            return;
        }
        OrderReservation order = order(s.orderId());
        if (order == null) {
            deadLetters.add("order " + s.eventId());
            return;
        }
        OrderStatus before = order.trackingStatus();
        List<OrderReservation.LineState> linesBefore = order.lineStates();
        List<LineInstruction> ships = new ArrayList<>();
        for (Step.Line l : s.lines()) {
            if (order.ship(l.lineId(), l.quantity(), now).isPresent()) {
                deadLetters.add("order " + s.eventId()); // and the changed order is not written back
                return;
            }
            ships.add(new LineInstruction(s.orderId(), l.lineId(), l.sku(), LineInstruction.Action.SHIP, l.quantity(), Optional.of(s.location())));
        }
        tell(order, before, linesBefore, s.eventId());
        store(order);
        orderEventsApplied.add(s.eventId());
        send(ships, s.eventId(), s.eventTime());
    }

    private void answer(Answer a) {
        OrderReservation order = order(a.orderId());
        OrderStatus before = order.trackingStatus();
        List<OrderReservation.LineState> linesBefore = order.lineStates();
        OrderReservation.Step step = order.onLineAnswer(a.decision().lineId(), a.decision().allocations(), a.decision().rejectionReason(), now);
        tell(order, before, linesBefore, order.placedEventId() + "/answer/" + a.decision().lineId());
        store(order);
        send(step.instructions(), order.placedEventId() + "/compensation", now);
        step.decision().ifPresent(d -> {
            decisions.add(order.orderId() + " " + d.status());
            if (d.status() == OrderReservation.Status.ACCEPTED) {
                expiries.put(order.orderId(), now + reservationExpiryMillis);
            }
        });
    }

    private void passTime() {
        for (String sku : List.copyOf(ledgers.keySet())) {
            SkuLedger ledger = ledger(sku);
            if (ledger.expireInbound(now)) {
                ledgers.put(sku, ledgerSerde.serializer().serialize("", ledger));
            }
        }
        // Earliest deadline first, as the service's deadline store reads them. Keys, not entries: a TreeMap
        // reuses a removed entry's node for its successor.
        List<String> due = expiries.keySet().stream().filter(id -> expiries.get(id) <= now)
                .sorted(Comparator.comparing((String id) -> expiries.get(id)).thenComparing(id -> id)).toList();
        for (String orderId : due) {
            expiries.remove(orderId);
            OrderReservation order = order(orderId);
            OrderStatus before = order.trackingStatus();
            List<OrderReservation.LineState> linesBefore = order.lineStates();
            List<LineInstruction> releases = order.expire(now);
            if (!releases.isEmpty()) {
                tell(order, before, linesBefore, order.placedEventId() + "/expiry");
            }
            store(order);
            send(releases, order.placedEventId() + "/expiry", now);
        }
    }

    /** As OrderProcessor: the change on order-status, if the input changed what the customer is told. */
    private void tell(OrderReservation order, OrderStatus before, List<OrderReservation.LineState> linesBefore, String causedBy) {
        order.track(before, linesBefore, causedBy, now).ifPresent(change -> {
            Map<String, OrderStatusOracle.LineUnits> lines = new LinkedHashMap<>();
            change.lines().forEach(l -> lines.put(l.lineId(), new OrderStatusOracle.LineUnits(l.shipped(), l.cancelled(), l.returned(), l.expired())));
            statusChanges.computeIfAbsent(order.orderId(), k -> new ArrayList<>()).add(new OrderStatusOracle.Change(order.changeId(change), change.sequence(),
                    change.previous() == null ? null : change.previous().name(), change.status().name(), lines));
        });
    }

    // ---- views, as the oracle gives them ----

    /** Every order's changes on order-status, in order. */
    Map<String, List<OrderStatusOracle.Change>> statusChanges() {
        return statusChanges;
    }

    Map<String, Map<String, InventoryOracle.Quantities>> positions() {
        Map<String, Map<String, InventoryOracle.Quantities>> out = new TreeMap<>();
        ledgers.keySet().forEach(sku -> {
            Map<String, InventoryOracle.Quantities> perLocation = new TreeMap<>();
            for (Position.LocationPosition l : ledger(sku).position().locations()) {
                Position.Totals t = l.totals();
                perLocation.put(l.locationId(), new InventoryOracle.Quantities(t.onHand(), t.committed(), t.incoming(), t.unavailable(),
                        t.safetyStock(), t.available()));
            }
            out.put(sku, perLocation);
        });
        return out;
    }

    long version(String sku) {
        return ledgers.containsKey(sku) ? ledger(sku).position().version() : 0;
    }

    Map<String, InventoryOracle.OrderView> orders() {
        Map<String, InventoryOracle.OrderView> out = new TreeMap<>();
        orders.keySet().forEach(id -> {
            OrderReservation order = order(id);
            Map<String, InventoryOracle.LineView> lines = new LinkedHashMap<>();
            order.lineStates().forEach(l -> lines.put(l.lineId(), new InventoryOracle.LineView(l.sku(), l.quantity(), l.answered(),
                    l.reserved(), l.shipped(), l.cancelled(), l.expired(), l.returned())));
            out.put(id, new InventoryOracle.OrderView(order.status().name(), lines));
        });
        return out;
    }

    /** Where each order stands for its customer. */
    Map<String, String> trackingStatuses() {
        Map<String, String> out = new TreeMap<>();
        orders.keySet().forEach(id -> out.put(id, order(id).trackingStatus().name()));
        return out;
    }

    List<String> decisions() {
        return List.copyOf(decisions);
    }

    List<String> deadLetters() {
        return List.copyOf(deadLetters);
    }

    List<String> alerts() {
        return List.copyOf(alerts);
    }

    /** The in-flight messages, in the oracle's terms (event times of compensations are the clock's, so left out). */
    List<String> inFlight() {
        List<String> out = new ArrayList<>();
        toLedgers.values().forEach(q -> q.forEach(c -> {
            LineInstruction i = c.instruction();
            out.add(i.sku() + " " + i.orderId() + "/" + i.lineId() + " " + i.action() + " " + i.quantity() + " " + i.locationId().orElse(null)
                    + " only=" + i.locationOnly() + " sold=" + i.sold());
        }));
        toOrders.values().forEach(q -> q.forEach(a -> out.add(a.orderId() + " " + a.decision().lineId() + " ANSWER "
                + new TreeMap<>(allocations(a.decision().allocations())) + " refused=" + !a.decision().reserved())));
        return out;
    }

    static List<String> inFlight(InventoryOracle oracle) {
        return oracle.inFlight().stream().map(m -> m.action().equals("ANSWER")
                ? m.orderId() + " " + m.lineId() + " ANSWER " + new TreeMap<>(m.allocations()) + " refused=" + m.refused()
                : m.key() + " " + m.orderId() + "/" + m.lineId() + " " + m.action() + " " + m.quantity() + " " + m.location()
                + " only=" + m.locationOnly() + " sold=" + m.sold()).toList();
    }

    private static Map<String, Integer> allocations(List<Allocation> allocations) {
        Map<String, Integer> out = new LinkedHashMap<>();
        allocations.forEach(a -> out.merge(a.locationId(), a.quantity(), Integer::sum));
        return out;
    }

    /** sku to orderId/lineId to location to units, from the reservation book. */
    Map<String, Map<String, Map<String, Integer>>> reservations() {
        Map<String, Map<String, Map<String, Integer>>> out = new TreeMap<>();
        reservations.forEach((sku, book) -> {
            Map<String, Map<String, Integer>> perLine = new TreeMap<>();
            book.lines().forEach((key, allocations) -> perLine.put(key, new TreeMap<>(allocations(allocations))));
            out.put(sku, perLine);
        });
        return out;
    }
}
