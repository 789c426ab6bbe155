package dev.omnistock.inventory.orders;

import dev.omnistock.inventory.orders.LineInstruction.Action;
import dev.omnistock.inventory.sourcing.Allocation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One order's reservation across SKUs. Each line is reserved by its own SKU's ledger; this waits for
 * every answer and decides the order: all lines reserved means ACCEPTED; any line refused means the
 * order is REJECTED and the lines already reserved are released (compensation), unless partial
 * orders are allowed, when the reserved lines are accepted alone.
 */
public final class OrderReservation {

    /** EXPIRED: accepted, then held its reservations past the expiry without shipping them; they were released. */
    public enum Status { PENDING, ACCEPTED, REJECTED, CANCELLED, EXPIRED }

    /** The decision, once every line has its answer. */
    public record Decision(Status status, List<LineOutcome> lines) {
    }

    public record LineOutcome(String lineId, String sku, int quantity, List<Allocation> allocations, Optional<String> rejectionReason) {
    }

    /**
     * Where one line stands: its answer, where it is reserved, what became of its units.
     *
     * @param allocations     where the line's units are reserved; empty unless reserved
     * @param rejectionReason why the line was refused or released; null unless so
     */
    public record LineState(String lineId, String sku, int quantity, boolean answered, boolean reserved, int shipped, int cancelled,
                            int expired, int returned, List<Allocation> allocations, String rejectionReason) {

        /** Units neither shipped, cancelled nor expired: still to ship, to refuse or to answer. */
        public int unitsLeft() {
            return quantity - shipped - cancelled - expired;
        }

        /** Units the line's refusal took: those left when it came (what was cancelled or shipped before stays so). */
        public int unitsRefused() {
            return answered && !reserved ? unitsLeft() : 0;
        }

        /** Units reserved and still to ship. */
        public int unitsOpen() {
            return reserved ? unitsLeft() : 0;
        }
    }

    /**
     * One change of the order as its customer sees it: its status or a line's quantities.
     *
     * @param sequence   1 for the placement, then one more per change of this order
     * @param previous   null for the placement
     * @param causedBy   the id of the event (or decision, expiry) that changed it
     * @param lines      as they are now: every line when the status changed, else the lines whose units changed
     */
    public record StatusChange(long sequence, long atMillis, OrderStatus previous, OrderStatus status, String causedBy,
                               List<LineState> lines) {
    }

    /** How many changes an order keeps for its timeline; older ones stay on the order-status topic. */
    static final int TIMELINE_MAX = 50;

    /** What handling one input produced: instructions for ledgers, and the decision when it was just made. */
    public record Step(List<LineInstruction> instructions, Optional<Decision> decision) {
        static Step of(List<LineInstruction> instructions) {
            return new Step(instructions, Optional.empty());
        }
    }

    private static final class Line {
        String sku;
        int quantity;
        boolean answered;
        List<Allocation> allocations = List.of();
        String rejectionReason;
        int shipped;
        int cancelled;
        int expired;
        int returned;

        boolean reserved() {
            return answered && rejectionReason == null;
        }

        /** Units neither shipped, cancelled nor expired. */
        int open() {
            return quantity - shipped - cancelled - expired;
        }

        boolean done() {
            return rejectionReason != null || open() <= 0;
        }
    }

    private String orderId;
    private String placedEventId;
    private String channel;
    private Status status = Status.PENDING;
    private boolean partialAllowed;
    /** When nothing more can happen to the order (0 while it is open); it is forgotten a retention later. */
    private long closedAtMillis;
    private final LinkedHashMap<String, Line> lines = new LinkedHashMap<>();
    /** The last change's sequence number and the latest changes, oldest first. */
    private long sequence;
    private final ArrayList<StatusChange> timeline = new ArrayList<>();

    /** For deserialisation only. */
    private OrderReservation() {
    }

    private OrderReservation(String orderId, String placedEventId, String channel, boolean partialAllowed) {
        this.orderId = orderId;
        this.placedEventId = placedEventId;
        this.channel = channel;
        this.partialAllowed = partialAllowed;
    }

    /**
     * A new order: one RESERVE per line.
     *
     * @param requestedLocationOnly the customer collects at requestedLocationId, so only that location will do
     * @param soldAtTill            the goods were sold at requestedLocationId already: a fact, reserved there whatever
     *                              is available, never refused
     */
    public static OrderReservation place(String orderId, String placedEventId, String channel, List<OrderLineRequest> requested,
                                         Optional<String> requestedLocationId, boolean requestedLocationOnly, boolean soldAtTill,
                                         boolean partialAllowed, List<LineInstruction> out) {
        OrderReservation order = new OrderReservation(orderId, placedEventId, channel, partialAllowed);
        for (OrderLineRequest request : requested) {
            Line line = new Line();
            line.sku = request.sku();
            line.quantity = request.quantity();
            order.lines.put(request.lineId(), line);
            out.add(new LineInstruction(orderId, request.lineId(), request.sku(), Action.RESERVE, request.quantity(), requestedLocationId,
                    requestedLocationOnly || soldAtTill, soldAtTill));
        }
        return order;
    }

    public String orderId() {
        return orderId;
    }

    public String placedEventId() {
        return placedEventId;
    }

    /**
     * A change's id, the same on every copy of it: orderId/placement/sequence. The placement (its event id)
     * keeps it unique when an order id is placed again after the first order was forgotten and its
     * sequence starts again at 1; receivers that drop duplicates by it would otherwise drop the new order's.
     */
    public String changeId(StatusChange change) {
        return orderId + "/" + placedEventId + "/" + change.sequence();
    }

    public String channel() {
        return channel;
    }

    public Status status() {
        return status;
    }

    /** A ledger's answer for one line, at {@code nowMillis}. */
    public Step onLineAnswer(String lineId, List<Allocation> allocations, Optional<String> rejectionReason, long nowMillis) {
        Step step = answer(lineId, allocations, rejectionReason);
        closeIfDone(nowMillis);
        return step;
    }

    private Step answer(String lineId, List<Allocation> allocations, Optional<String> rejectionReason) {
        Line line = lines.get(lineId);
        if (line == null || line.answered) {
            return Step.of(List.of()); // redelivered or unknown: already handled
        }
        line.answered = true;
        line.allocations = List.copyOf(allocations);
        line.rejectionReason = rejectionReason.orElse(null);
        // Units cancelled while the answer was on its way were not released then: nothing was reserved yet.
        Map<String, Integer> toRelease = new LinkedHashMap<>();
        if (line.reserved() && line.cancelled > 0) {
            toRelease.put(lineId, line.cancelled);
        }
        if (status == Status.CANCELLED || lines.values().stream().anyMatch(l -> !l.answered)) {
            return Step.of(releases(toRelease));
        }
        boolean anyRefused = lines.values().stream().anyMatch(l -> l.rejectionReason != null);
        boolean anyReserved = lines.values().stream().anyMatch(Line::reserved);
        if (anyRefused && !(partialAllowed && anyReserved)) {
            status = Status.REJECTED;
            lines.forEach((id, l) -> {
                if (l.reserved()) {
                    toRelease.merge(id, l.open(), Integer::sum);
                    l.rejectionReason = "released: another line of the order could not be reserved";
                    l.allocations = List.of();
                }
            });
        } else {
            status = Status.ACCEPTED;
        }
        return new Step(releases(toRelease), Optional.of(decision()));
    }

    /**
     * Cancels units of the given lines (or every open unit when {@code lineIds} is empty), at
     * {@code nowMillis}. Only units still open can be cancelled; exactly those that become cancelled
     * are released, so a repeated cancel changes nothing.
     */
    public List<LineInstruction> cancel(List<String> lineIds, Map<String, Integer> quantities, long nowMillis) {
        boolean whole = lineIds.isEmpty();
        if (whole && (status == Status.PENDING || status == Status.ACCEPTED)) {
            status = Status.CANCELLED; // answers still to come release what they reserved as they arrive
        }
        Map<String, Integer> toRelease = new LinkedHashMap<>();
        lines.forEach((id, line) -> {
            if (whole || lineIds.contains(id)) {
                // A refused line's units are not open: they were refused, and cancelling them changes nothing.
                int open = line.rejectionReason == null ? line.open() : 0;
                int newlyCancelled = Math.max(0, Math.min(whole ? open : quantities.getOrDefault(id, 0), open));
                line.cancelled += newlyCancelled;
                if (line.reserved() && newlyCancelled > 0) {
                    toRelease.put(id, newlyCancelled);
                }
            }
        });
        closeIfDone(nowMillis);
        return releases(toRelease);
    }

    /**
     * Units of a line left the building, at {@code nowMillis}. Empty when accepted; else why not: only
     * a line of this order with that many units open (reserved or waiting for its answer) can ship.
     */
    public Optional<String> ship(String lineId, int quantity, long nowMillis) {
        Line line = lines.get(lineId);
        if (line == null) {
            return Optional.of("order " + orderId + " has no line '" + lineId + "'");
        }
        if (line.rejectionReason != null) {
            return Optional.of("line " + lineId + " of order " + orderId + " was not reserved (" + line.rejectionReason + ")");
        }
        if (quantity <= 0 || quantity > line.open()) {
            return Optional.of("shipping " + quantity + " of line " + lineId + " of order " + orderId + ", which has "
                    + line.open() + " open (" + line.quantity + " ordered, " + line.shipped + " shipped, " + line.cancelled + " cancelled)");
        }
        line.shipped += quantity;
        closeIfDone(nowMillis);
        return Optional.empty();
    }

    /**
     * The reservations of an accepted order have expired, at {@code nowMillis}: every open unit of its
     * reserved lines is released and the order is EXPIRED. Nothing happens to an order that is not
     * ACCEPTED or has nothing open.
     */
    public List<LineInstruction> expire(long nowMillis) {
        Map<String, Integer> toRelease = new LinkedHashMap<>();
        if (status == Status.ACCEPTED) {
            lines.forEach((id, line) -> {
                if (line.reserved() && line.open() > 0) {
                    toRelease.put(id, line.open());
                    line.expired += line.open();
                }
            });
        }
        if (!toRelease.isEmpty()) {
            status = Status.EXPIRED;
        }
        closeIfDone(nowMillis);
        return releases(toRelease);
    }

    /**
     * Units of a line came back, at {@code nowMillis}. Returns are facts the ledger books whatever the
     * order says; the order counts at most the units it shipped and not yet got back. False when that
     * changed nothing.
     */
    public boolean returned(String lineId, int quantity, long nowMillis) {
        Line line = lines.get(lineId);
        if (line == null || quantity <= 0 || line.returned >= line.shipped) {
            return false;
        }
        line.returned += Math.min(quantity, line.shipped - line.returned);
        return true;
    }

    /** Where the order stands for its customer ({@link OrderStatus}). */
    public OrderStatus trackingStatus() {
        return OrderStatus.of(lineStates());
    }

    /**
     * Records a change if handling an input changed what the customer is told: the status (the change
     * then shows every line) or a line's shipped, cancelled, returned or expired units (it shows those
     * lines). A line's answer is told by the status it leads to, so one while others wait is no news.
     * Call with the status and lines from before the input (null and empty for a new order).
     */
    public Optional<StatusChange> track(OrderStatus before, List<LineState> linesBefore, String causedBy, long nowMillis) {
        OrderStatus now = trackingStatus();
        List<LineState> linesNow = lineStates();
        List<LineState> changed = now != before ? linesNow : linesNow.stream().filter(line -> linesBefore.stream()
                .noneMatch(old -> old.lineId().equals(line.lineId())
                        && OrderStatus.Units.of(old).told().equals(OrderStatus.Units.of(line).told()))).toList();
        if (changed.isEmpty()) {
            return Optional.empty();
        }
        StatusChange change = new StatusChange(++sequence, nowMillis, before, now, causedBy, changed);
        timeline.add(change);
        if (timeline.size() > TIMELINE_MAX) {
            timeline.remove(0);
        }
        return Optional.of(change);
    }

    /** The latest changes, oldest first: at most {@value #TIMELINE_MAX}. */
    public List<StatusChange> timeline() {
        return List.copyOf(timeline);
    }

    /** When the order closed (nothing more can happen to it), or 0 while it is open. */
    public long closedAtMillis() {
        return closedAtMillis;
    }

    /** True once the order has been closed for {@code retentionMillis}: it may be forgotten. */
    public boolean forgettable(long nowMillis, long retentionMillis) {
        return closedAtMillis > 0 && nowMillis - closedAtMillis >= retentionMillis;
    }

    private void closeIfDone(long nowMillis) {
        boolean allAnswered = lines.values().stream().allMatch(l -> l.answered);
        boolean done = status == Status.REJECTED || (allAnswered && lines.values().stream().allMatch(Line::done));
        if (closedAtMillis == 0 && done) {
            closedAtMillis = nowMillis;
        }
    }

    public List<LineState> lineStates() {
        List<LineState> states = new ArrayList<>();
        lines.forEach((id, l) -> states.add(new LineState(id, l.sku, l.quantity, l.answered, l.reserved(), l.shipped, l.cancelled,
                l.expired, l.returned, l.allocations, l.rejectionReason)));
        return states;
    }

    public Decision decision() {
        List<LineOutcome> outcomes = new ArrayList<>();
        lines.forEach((id, l) -> outcomes.add(new LineOutcome(id, l.sku, l.quantity, l.allocations, Optional.ofNullable(l.rejectionReason))));
        return new Decision(status, outcomes);
    }

    private List<LineInstruction> releases(Map<String, Integer> quantities) {
        List<LineInstruction> out = new ArrayList<>();
        quantities.forEach((id, quantity) -> {
            if (quantity > 0) {
                out.add(new LineInstruction(orderId, id, lines.get(id).sku, Action.RELEASE, quantity, Optional.empty()));
            }
        });
        return out;
    }
}
