package dev.omnistock.generator.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The inventory rules written once more, as plainly as they can be, from docs/architecture.md and the
 * README's guarantees, with no production class: what every position, order and dead letter must be
 * after a sequence of {@link Step}s. Quantities are kept per SKU and location; committed is not kept at
 * all but summed from the open reservations, which is what it means.
 */
public final class InventoryOracle {

    /** The settings a model run uses; the service under test is configured the same way. */
    public record Settings(List<String> locationPriority, boolean splitLines, boolean partialOrders, long reservationExpiryMillis,
                           long inboundExpiryMillis, int lowStockThreshold, int alertHysteresis) {
    }

    /** What the tests compare: one location's quantities. */
    public record Quantities(int onHand, int committed, int incoming, int unavailable, int safetyStock, int available) {
    }

    /** What the tests compare: one order line. */
    public record LineView(String sku, int quantity, boolean answered, boolean reserved, int shipped, int cancelled, int expired,
                           int returned) {
    }

    /**
     * What the tests compare: one order.
     *
     * @param status the reservation's state (PENDING, ACCEPTED, REJECTED, CANCELLED, EXPIRED); where the order
     *               stands for its customer follows from its lines (the inventory tests' OrderStatusOracle)
     */
    public record OrderView(String status, Map<String, LineView> lines) {
    }

    /** A message between the two sides: a line command to a SKU's ledger, or a ledger's answer to an order. */
    public record Message(String key, String orderId, String lineId, String action, int quantity, String location,
                          boolean locationOnly, boolean sold, long eventTime, Map<String, Integer> allocations, boolean refused) {
    }

    private static final class Location {
        int onHand;
        int unavailable;
        Integer safetyStock;
        long lastCountAt = Long.MIN_VALUE;
        final Map<String, Integer> inbound = new HashMap<>();
        final Map<String, Long> inboundDue = new HashMap<>();
    }

    private static final class Sku {
        final String id;
        final TreeMap<String, Location> locations = new TreeMap<>();
        /** Whether stock has moved yet (settings alone never alert), and the network's last alerted level. */
        boolean stockKnown;
        String level = "IN_STOCK";
        int safetyStock;
        long version;
        /** orderId/lineId to location to units, in the order they were allocated. */
        final Map<String, LinkedHashMap<String, Integer>> reservations = new HashMap<>();
        /** The sum of the reservations per location, kept as they change (positions() checks it against the sum). */
        final Map<String, Integer> committed = new HashMap<>();
        final Set<String> applied = new HashSet<>();

        Sku(String id) {
            this.id = id;
        }
    }

    private static final class Line {
        String sku;
        int quantity;
        boolean answered;
        boolean reserved;
        int shipped;
        int cancelled;
        int expired;
        int returned;

        int open() {
            return quantity - shipped - cancelled - expired;
        }
    }

    private static final class Order {
        String placedEventId;
        String status = "PENDING";
        boolean partial;
        final LinkedHashMap<String, Line> lines = new LinkedHashMap<>();
        Long expiresAt;
    }

    private final Settings settings;
    private final Map<String, Sku> skus = new TreeMap<>();
    private final Map<String, Order> orders = new TreeMap<>();
    private final Set<String> orderEventsApplied = new HashSet<>();
    private final Map<String, Deque<Message>> toLedgers = new TreeMap<>();
    private final Map<String, Deque<Message>> toOrders = new TreeMap<>();
    private int inFlightCount;
    private final List<String> decisions = new ArrayList<>();
    private final List<String> deadLetters = new ArrayList<>();
    private final List<String> alerts = new ArrayList<>();
    private long now;

    public InventoryOracle(Settings settings, long startMillis) {
        this.settings = settings;
        this.now = startMillis;
    }

    public long now() {
        return now;
    }

    /** Applies one step; line commands and answers wait in their queues until delivered. */
    public void apply(Step step) {
        if (step instanceof Step.Stock s) {
            stock(s);
        } else if (step instanceof Step.SafetyStock s) {
            safetyStock(s);
        } else if (step instanceof Step.Place p) {
            place(p);
        } else if (step instanceof Step.Cancel c) {
            cancel(c);
        } else if (step instanceof Step.Ship s) {
            ship(s);
        } else if (step instanceof Step.Return r) {
            returned(r);
        } else if (step instanceof Step.DeliverCommand d) {
            Deque<Message> queue = toLedgers.get(d.sku());
            if (queue != null && !queue.isEmpty()) {
                inFlightCount--;
                ledgerCommand(queue.poll());
            }
        } else if (step instanceof Step.DeliverAnswer d) {
            Deque<Message> queue = toOrders.get(d.orderId());
            if (queue != null && !queue.isEmpty()) {
                inFlightCount--;
                answer(queue.poll());
            }
        } else if (step instanceof Step.Advance a) {
            now += a.millis();
            passTime();
        }
    }

    /** Delivers every message on its way, and those they cause, until none is left. */
    public void drain() {
        while (inFlightCount > 0) {
            for (Deque<Message> queue : List.copyOf(toLedgers.values())) {
                while (!queue.isEmpty()) {
                    inFlightCount--;
                    ledgerCommand(queue.poll());
                }
            }
            for (Deque<Message> queue : List.copyOf(toOrders.values())) {
                while (!queue.isEmpty()) {
                    inFlightCount--;
                    answer(queue.poll());
                }
            }
            toLedgers.values().removeIf(Deque::isEmpty);
            toOrders.values().removeIf(Deque::isEmpty);
        }
    }

    // ---- the SKU side ----

    private Location location(Sku sku, String id) {
        return sku.locations.computeIfAbsent(id, k -> new Location());
    }

    private Sku sku(String id) {
        return skus.computeIfAbsent(id, Sku::new);
    }

    private int committed(Sku sku, String location) {
        return sku.committed.getOrDefault(location, 0);
    }

    /** Every change of a reservation goes through here, so that committed stays their sum. */
    private void hold(Sku sku, String reservationKey, String location, int units) {
        LinkedHashMap<String, Integer> held = sku.reservations.computeIfAbsent(reservationKey, k -> new LinkedHashMap<>());
        held.merge(location, units, Integer::sum);
        sku.committed.merge(location, units, Integer::sum);
        held.values().removeIf(q -> q == 0);
        if (held.isEmpty()) {
            sku.reservations.remove(reservationKey);
        }
    }

    private int safetyAt(Sku sku, Location location) {
        return location.safetyStock != null ? location.safetyStock : sku.safetyStock;
    }

    private int available(Sku sku, String id) {
        Location l = sku.locations.get(id);
        return l == null ? 0 : Math.max(0, l.onHand - committed(sku, id) - l.unavailable - safetyAt(sku, l));
    }

    private void stock(Step.Stock s) {
        Sku sku = sku(s.sku());
        if (sku.applied.contains(s.eventId())) {
            return;
        }
        // Worked on a copy of the location: a refused or ignored event leaves no trace.
        Location l = sku.locations.get(s.location());
        boolean isNew = l == null;
        if (isNew) {
            l = new Location();
        }
        String result = switch (s.kind()) {
            case COUNT -> {
                if (s.quantity() < 0) {
                    yield "rejected";
                }
                if (s.eventTime() < l.lastCountAt) {
                    yield "ignored";
                }
                l.onHand = s.quantity();
                l.unavailable = Math.min(l.unavailable, l.onHand);
                l.lastCountAt = s.eventTime();
                yield "applied";
            }
            case ADJUST -> {
                if (s.eventTime() < l.lastCountAt) {
                    yield "ignored";
                }
                if (l.onHand + s.quantity() < 0) {
                    yield "rejected";
                }
                l.onHand += s.quantity();
                l.unavailable = Math.min(l.unavailable, l.onHand);
                yield "applied";
            }
            case DAMAGE -> {
                if (s.quantity() <= 0 || l.unavailable + s.quantity() > l.onHand) {
                    yield "rejected";
                }
                l.unavailable += s.quantity();
                yield "applied";
            }
            case RELEASE_HOLD -> {
                if (s.quantity() <= 0 || s.quantity() > l.unavailable) {
                    yield "rejected";
                }
                l.unavailable -= s.quantity();
                yield "applied";
            }
            case EXPECT -> {
                if (s.quantity() <= 0) {
                    yield "rejected";
                }
                l.inbound.put(s.inboundId(), s.quantity());
                l.inboundDue.put(s.inboundId(), (s.expectedAt() != null ? s.expectedAt() : s.eventTime()) + settings.inboundExpiryMillis());
                yield "applied";
            }
            case RECEIVE -> {
                if (s.quantity() <= 0) {
                    yield "rejected";
                }
                if (s.inboundId() != null && l.inbound.containsKey(s.inboundId())) {
                    int open = l.inbound.get(s.inboundId());
                    int left = open - Math.min(open, s.quantity());
                    if (left == 0) {
                        l.inbound.remove(s.inboundId());
                        l.inboundDue.remove(s.inboundId());
                    } else {
                        l.inbound.put(s.inboundId(), left);
                    }
                }
                if (s.eventTime() >= l.lastCountAt) {
                    l.onHand += s.quantity();
                }
                yield "applied";
            }
        };
        finishStock(sku, s.eventId(), s.location(), l, isNew, result);
    }

    /**
     * The location was changed in place unless it is new: a refused or ignored event on an existing
     * location must not have changed it, which the cases above respect by checking before changing.
     */
    private void finishStock(Sku sku, String eventId, String locationId, Location l, boolean isNew, String result) {
        switch (result) {
            case "rejected" -> deadLetters.add("stock " + eventId);
            case "ignored" -> sku.applied.add(eventId);
            default -> {
                sku.applied.add(eventId);
                if (isNew) {
                    sku.locations.put(locationId, l);
                }
                changed(sku, true);
            }
        }
    }

    private void safetyStock(Step.SafetyStock s) {
        Sku sku = sku(s.sku());
        if (sku.applied.contains(s.eventId())) {
            return;
        }
        if (s.safetyStock() < 0) {
            deadLetters.add("settings " + s.eventId());
            return;
        }
        if (s.location() == null) {
            sku.safetyStock = s.safetyStock();
        } else {
            location(sku, s.location()).safetyStock = s.safetyStock();
        }
        sku.applied.add(s.eventId());
        changed(sku, false);
    }

    private void ledgerCommand(Message m) {
        Sku sku = sku(m.key());
        String reservationKey = m.orderId() + "/" + m.lineId();
        switch (m.action()) {
            case "RESERVE" -> reserve(sku, m, reservationKey);
            case "RELEASE" -> {
                LinkedHashMap<String, Integer> held = sku.reservations.get(reservationKey);
                if (held == null) {
                    return; // nothing to release: ignored
                }
                int left = m.quantity();
                List<String> locations = new ArrayList<>(held.keySet());
                for (int i = locations.size() - 1; i >= 0 && left > 0; i--) {
                    int take = Math.min(left, held.get(locations.get(i)));
                    hold(sku, reservationKey, locations.get(i), -take);
                    left -= take;
                }
                changed(sku, true);
            }
            case "SHIP" -> {
                LinkedHashMap<String, Integer> held = sku.reservations.get(reservationKey);
                int here = held == null ? 0 : held.getOrDefault(m.location(), 0);
                if (m.quantity() <= 0 || m.quantity() > here) {
                    deadLetters.add("command " + reservationKey + " SHIP");
                    return;
                }
                hold(sku, reservationKey, m.location(), -m.quantity());
                Location l = location(sku, m.location());
                if (m.eventTime() >= l.lastCountAt) {
                    l.onHand = Math.max(0, l.onHand - m.quantity());
                    l.unavailable = Math.min(l.unavailable, l.onHand);
                }
                changed(sku, true);
            }
            case "RETURN_RESELLABLE", "RETURN_DAMAGED" -> {
                if (m.quantity() <= 0) {
                    deadLetters.add("command " + reservationKey + " " + m.action());
                    return;
                }
                Location existing = sku.locations.get(m.location());
                if (existing != null && m.eventTime() < existing.lastCountAt) {
                    return; // the count after it already includes it
                }
                Location l = location(sku, m.location());
                l.onHand += m.quantity();
                if (m.action().equals("RETURN_DAMAGED")) {
                    l.unavailable += m.quantity();
                }
                changed(sku, true);
            }
            default -> throw new IllegalStateException(m.action());
        }
    }

    private void reserve(Sku sku, Message m, String reservationKey) {
        LinkedHashMap<String, Integer> allocation = new LinkedHashMap<>();
        if (m.sold()) {
            if (m.location() != null && m.quantity() > 0) {
                allocation.put(m.location(), m.quantity());
                location(sku, m.location());
            }
        } else if (m.location() != null && available(sku, m.location()) >= m.quantity()) {
            allocation.put(m.location(), m.quantity());
        } else if (!m.locationOnly()) {
            List<String> candidates = sku.locations.keySet().stream().filter(id -> available(sku, id) > 0)
                    .sorted(Comparator.<String>comparingInt(id -> -available(sku, id))
                            .thenComparingInt(this::priority).thenComparing(Comparator.naturalOrder()))
                    .toList();
            if (!candidates.isEmpty() && available(sku, candidates.get(0)) >= m.quantity()) {
                allocation.put(candidates.get(0), m.quantity());
            } else if (settings.splitLines() && candidates.stream().mapToInt(id -> available(sku, id)).sum() >= m.quantity()) {
                int left = m.quantity();
                for (String id : candidates) {
                    int take = Math.min(left, available(sku, id));
                    if (take > 0) {
                        allocation.put(id, take);
                        left -= take;
                    }
                }
            }
        }
        boolean refused = allocation.isEmpty();
        if (!refused) {
            allocation.forEach((location, units) -> hold(sku, reservationKey, location, units));
            if (m.sold()) {
                Location l = sku.locations.get(m.location());
                int unreserved = l.onHand - committed(sku, m.location()) - l.unavailable;
                if (unreserved < 0) {
                    alerts.add(sku.id + " " + m.location() + " OVERSOLD " + unreserved);
                }
            }
            changed(sku, true);
        }
        inFlightCount++;
        toOrders.computeIfAbsent(m.orderId(), k -> new ArrayDeque<>()).add(new Message(m.orderId(), m.orderId(), m.lineId(), "ANSWER",
                m.quantity(), null, false, false, now, Map.copyOf(allocation), refused));
    }

    /**
     * A change of the SKU's position: its version moves on and, once stock has moved, the network level is
     * weighed: OUT_OF_STOCK at 0 available, LOW_STOCK at the threshold or below (not when coming back from
     * out), BACK_IN_STOCK above threshold + hysteresis; each only when the level changes.
     */
    private void changed(Sku sku, boolean stockMovement) {
        sku.version++;
        sku.stockKnown |= stockMovement;
        if (!sku.stockKnown) {
            return;
        }
        int available = sku.locations.keySet().stream().mapToInt(id -> available(sku, id)).sum();
        String level = sku.level;
        String alert = null;
        if (available <= 0) {
            level = "OUT";
            alert = sku.level.equals("OUT") ? null : "OUT_OF_STOCK";
        } else if (available <= settings.lowStockThreshold()) {
            level = "LOW";
            alert = sku.level.equals("IN_STOCK") ? "LOW_STOCK" : null;
        } else if (available > settings.lowStockThreshold() + settings.alertHysteresis()) {
            level = "IN_STOCK";
            alert = sku.level.equals("IN_STOCK") ? null : "BACK_IN_STOCK";
        }
        sku.level = level;
        if (alert != null) {
            alerts.add(sku.id + " * " + alert + " " + available);
        }
    }

    private int priority(String location) {
        int index = settings.locationPriority().indexOf(location);
        return index < 0 ? Integer.MAX_VALUE : index;
    }

    // ---- the order side ----

    private void send(String orderId, String lineId, String sku, String action, int quantity, String location, boolean only, boolean sold,
                      long eventTime) {
        inFlightCount++;
        toLedgers.computeIfAbsent(sku, k -> new ArrayDeque<>()).add(new Message(sku, orderId, lineId, action, quantity, location, only, sold,
                eventTime, Map.of(), false));
    }

    private void place(Step.Place p) {
        if (orders.containsKey(p.orderId())) {
            return; // placed already
        }
        Set<String> ids = new HashSet<>();
        boolean invalid = p.lines().isEmpty() || p.lines().stream().anyMatch(l -> !ids.add(l.lineId()) || l.quantity() <= 0);
        if (invalid) {
            deadLetters.add("order " + p.eventId());
            return;
        }
        Order order = new Order();
        order.placedEventId = p.eventId();
        order.partial = settings.partialOrders();
        for (Step.Line l : p.lines()) {
            Line line = new Line();
            line.sku = l.sku();
            line.quantity = l.quantity();
            order.lines.put(l.lineId(), line);
            send(p.orderId(), l.lineId(), l.sku(), "RESERVE", l.quantity(), p.requestedLocation(), p.pickup() || p.tillSale(), p.tillSale(),
                    p.eventTime());
        }
        orders.put(p.orderId(), order);
    }

    private void answer(Message a) {
        Order order = orders.get(a.orderId());
        Line line = order == null ? null : order.lines.get(a.lineId());
        if (line == null || line.answered) {
            return;
        }
        line.answered = true;
        line.reserved = !a.refused();
        Map<String, Integer> release = new LinkedHashMap<>();
        if (line.reserved && line.cancelled > 0) {
            release.put(a.lineId(), line.cancelled); // cancelled while the answer was on its way
        }
        boolean allAnswered = order.lines.values().stream().allMatch(l -> l.answered);
        if (!order.status.equals("CANCELLED") && allAnswered) {
            boolean anyRefused = order.lines.values().stream().anyMatch(l -> !l.reserved);
            boolean anyReserved = order.lines.values().stream().anyMatch(l -> l.reserved);
            if (anyRefused && !(order.partial && anyReserved)) {
                order.status = "REJECTED";
                order.lines.forEach((id, l) -> {
                    if (l.reserved) {
                        release.merge(id, l.open(), Integer::sum);
                        l.reserved = false;
                    }
                });
            } else {
                order.status = "ACCEPTED";
                order.expiresAt = now + settings.reservationExpiryMillis();
            }
            decisions.add(a.orderId() + " " + order.status);
        }
        release.forEach((id, units) -> {
            if (units > 0) {
                send(a.orderId(), id, order.lines.get(id).sku, "RELEASE", units, null, false, false, now);
            }
        });
    }

    private void cancel(Step.Cancel c) {
        if (orderEventsApplied.contains(c.eventId())) {
            return;
        }
        Order order = orders.get(c.orderId());
        if (order == null) {
            deadLetters.add("order " + c.eventId());
            return;
        }
        if (c.whole() && (order.status.equals("PENDING") || order.status.equals("ACCEPTED"))) {
            order.status = "CANCELLED";
        }
        order.lines.forEach((id, line) -> {
            if (c.whole() || c.lines().containsKey(id)) {
                int open = line.answered && !line.reserved ? 0 : line.open(); // refused units cannot be cancelled
                int units = Math.max(0, Math.min(c.whole() ? open : c.lines().get(id), open));
                line.cancelled += units;
                if (line.answered && line.reserved && units > 0) {
                    send(c.orderId(), id, line.sku, "RELEASE", units, null, false, false, c.eventTime());
                }
            }
        });
        orderEventsApplied.add(c.eventId());
    }

    private void ship(Step.Ship s) {
        if (orderEventsApplied.contains(s.eventId())) {
            return;
        }
        Order order = orders.get(s.orderId());
        if (order == null) {
            deadLetters.add("order " + s.eventId());
            return;
        }
        Map<String, Integer> shipping = new HashMap<>();
        for (Step.Line l : s.lines()) {
            Line line = order.lines.get(l.lineId());
            int open = line == null ? 0 : line.open() - shipping.getOrDefault(l.lineId(), 0);
            if (line == null || (line.answered && !line.reserved) || l.quantity() <= 0 || l.quantity() > open) {
                deadLetters.add("order " + s.eventId());
                return;
            }
            shipping.merge(l.lineId(), l.quantity(), Integer::sum);
        }
        for (Step.Line l : s.lines()) {
            order.lines.get(l.lineId()).shipped += l.quantity();
            send(s.orderId(), l.lineId(), l.sku(), "SHIP", l.quantity(), s.location(), false, false, s.eventTime());
        }
        orderEventsApplied.add(s.eventId());
    }

    private void returned(Step.Return r) {
        if (orderEventsApplied.contains(r.eventId())) {
            return;
        }
        send(r.orderId(), r.line().lineId(), r.line().sku(), r.resellable() ? "RETURN_RESELLABLE" : "RETURN_DAMAGED", r.line().quantity(),
                r.location(), false, false, r.eventTime());
        // The order counts back at most what it shipped.
        Order order = orders.get(r.orderId());
        Line line = order == null ? null : order.lines.get(r.line().lineId());
        if (line != null && r.line().quantity() > 0) {
            line.returned = Math.min(line.shipped, line.returned + r.line().quantity());
        }
        orderEventsApplied.add(r.eventId());
    }

    // ---- time ----

    private void passTime() {
        for (Sku sku : skus.values()) {
            boolean changed = false;
            for (Location l : sku.locations.values()) {
                for (String inbound : List.copyOf(l.inboundDue.keySet())) {
                    if (l.inboundDue.get(inbound) <= now) {
                        l.inboundDue.remove(inbound);
                        changed |= l.inbound.remove(inbound) != null;
                    }
                }
            }
            if (changed) {
                sku.version++;
            }
        }
        // Earliest deadline first, as the service's deadline store reads them: the releases' order decides
        // what an alert says when several orders expire at once.
        List<Map.Entry<String, Order>> due = orders.entrySet().stream()
                .filter(e -> e.getValue().status.equals("ACCEPTED") && e.getValue().expiresAt != null && e.getValue().expiresAt <= now)
                .sorted(Comparator.comparing((Map.Entry<String, Order> e) -> e.getValue().expiresAt).thenComparing(Map.Entry::getKey))
                .toList();
        due.forEach(e -> {
            String orderId = e.getKey();
            Order order = e.getValue();
            boolean any = false;
            for (Map.Entry<String, Line> entry : order.lines.entrySet()) {
                Line line = entry.getValue();
                if (line.reserved && line.open() > 0) {
                    send(orderId, entry.getKey(), line.sku, "RELEASE", line.open(), null, false, false, now);
                    line.expired += line.open();
                    any = true;
                }
            }
            if (any) {
                order.status = "EXPIRED";
            }
        });
    }

    // ---- what the tests read ----

    /** Every location of every SKU that has one, by SKU then location. */
    public Map<String, Map<String, Quantities>> positions() {
        Map<String, Map<String, Quantities>> out = new TreeMap<>();
        skus.forEach((id, sku) -> {
            Map<String, Quantities> perLocation = new TreeMap<>();
            sku.locations.forEach((locationId, l) -> {
                int safety = safetyAt(sku, l);
                int incoming = l.inbound.values().stream().mapToInt(Integer::intValue).sum();
                int reserved = sku.reservations.values().stream().mapToInt(r -> r.getOrDefault(locationId, 0)).sum();
                if (reserved != committed(sku, locationId)) {
                    throw new IllegalStateException("the oracle's committed at " + id + "@" + locationId + " is not the sum of its reservations");
                }
                perLocation.put(locationId, new Quantities(l.onHand, reserved, incoming, l.unavailable, safety, available(sku, locationId)));
            });
            out.put(id, perLocation);
        });
        return out;
    }

    public long version(String sku) {
        Sku s = skus.get(sku);
        return s == null ? 0 : s.version;
    }

    public Map<String, OrderView> orders() {
        Map<String, OrderView> out = new TreeMap<>();
        orders.keySet().forEach(id -> out.put(id, order(id)));
        return out;
    }

    /** "sku location|* KIND available", in the order they were raised. */
    public List<String> alerts() {
        return List.copyOf(alerts);
    }

    /** "orderId STATUS", in the order the decisions were made. */
    public List<String> decisions() {
        return List.copyOf(decisions);
    }

    /** What was dead-lettered: "stock|settings|order eventId" or "command orderId/lineId ACTION". */
    public List<String> deadLetters() {
        return List.copyOf(deadLetters);
    }

    /** The messages on their way, in the order each queue will deliver them. */
    public List<Message> inFlight() {
        List<Message> all = new ArrayList<>();
        toLedgers.values().forEach(all::addAll);
        toOrders.values().forEach(all::addAll);
        return all;
    }

    /** On hand less unavailable at one location: what a till there can physically sell. */
    public int sellableOnHand(String sku, String location) {
        Sku s = skus.get(sku);
        Location l = s == null ? null : s.locations.get(location);
        return l == null ? 0 : l.onHand - l.unavailable;
    }

    /** Where one line is reserved: location to units, empty when nothing is. */
    public Map<String, Integer> reservation(String sku, String orderId, String lineId) {
        Sku s = skus.get(sku);
        LinkedHashMap<String, Integer> held = s == null ? null : s.reservations.get(orderId + "/" + lineId);
        return held == null ? Map.of() : Map.copyOf(held);
    }

    /** One order, or null when it was never placed. */
    public OrderView order(String orderId) {
        Order order = orders.get(orderId);
        if (order == null) {
            return null;
        }
        Map<String, LineView> lines = new LinkedHashMap<>();
        order.lines.forEach((lineId, l) -> lines.put(lineId,
                new LineView(l.sku, l.quantity, l.answered, l.answered && l.reserved, l.shipped, l.cancelled, l.expired, l.returned)));
        return new OrderView(order.status, lines);
    }

    /** Open reservations: orderId/lineId to location to units, per SKU. */
    public Map<String, Map<String, Map<String, Integer>>> reservations() {
        Map<String, Map<String, Map<String, Integer>>> out = new TreeMap<>();
        skus.forEach((id, sku) -> {
            Map<String, Map<String, Integer>> lines = new TreeMap<>();
            sku.reservations.forEach((key, held) -> lines.put(key, new TreeMap<>(held)));
            out.put(id, lines);
        });
        return out;
    }
}
