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

    public enum Status { PENDING, ACCEPTED, REJECTED, CANCELLED }

    /** The decision, once every line has its answer. */
    public record Decision(Status status, List<LineOutcome> lines) {
    }

    public record LineOutcome(String lineId, String sku, int quantity, List<Allocation> allocations, Optional<String> rejectionReason) {
    }

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

        boolean done() {
            return rejectionReason != null || shipped + cancelled >= quantity;
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
     */
    public static OrderReservation place(String orderId, String placedEventId, String channel, List<OrderLineRequest> requested,
                                         Optional<String> requestedLocationId, boolean requestedLocationOnly, boolean partialAllowed,
                                         List<LineInstruction> out) {
        OrderReservation order = new OrderReservation(orderId, placedEventId, channel, partialAllowed);
        for (OrderLineRequest request : requested) {
            Line line = new Line();
            line.sku = request.sku();
            line.quantity = request.quantity();
            order.lines.put(request.lineId(), line);
            out.add(new LineInstruction(orderId, request.lineId(), request.sku(), Action.RESERVE, request.quantity(), requestedLocationId,
                    requestedLocationOnly));
        }
        return order;
    }

    public String orderId() {
        return orderId;
    }

    public String placedEventId() {
        return placedEventId;
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
        if (status == Status.CANCELLED) {
            // Cancelled while waiting: give back whatever this answer reserved.
            return Step.of(rejectionReason.isEmpty() ? List.of(release(lineId, line)) : List.of());
        }
        if (lines.values().stream().anyMatch(l -> !l.answered)) {
            return Step.of(List.of());
        }
        boolean anyRefused = lines.values().stream().anyMatch(l -> l.rejectionReason != null);
        boolean anyReserved = lines.values().stream().anyMatch(l -> l.rejectionReason == null);
        List<LineInstruction> compensation = new ArrayList<>();
        if (anyRefused && !(partialAllowed && anyReserved)) {
            status = Status.REJECTED;
            lines.forEach((id, l) -> {
                if (l.rejectionReason == null) {
                    compensation.add(release(id, l));
                    l.rejectionReason = "released: another line of the order could not be reserved";
                    l.allocations = List.of();
                }
            });
        } else {
            status = Status.ACCEPTED;
        }
        return new Step(compensation, Optional.of(decision()));
    }

    /** Cancels the given lines (or the whole order when {@code lineIds} is empty), at {@code nowMillis}. */
    public List<LineInstruction> cancel(List<String> lineIds, Map<String, Integer> quantities, long nowMillis) {
        List<LineInstruction> out = new ArrayList<>();
        boolean whole = lineIds.isEmpty();
        if (whole && status == Status.PENDING) {
            status = Status.CANCELLED; // answers still to come are released as they arrive
        }
        lines.forEach((id, line) -> {
            if (whole || lineIds.contains(id)) {
                int quantity = whole ? 0 : quantities.getOrDefault(id, 0);
                line.cancelled = whole ? line.quantity - line.shipped : Math.min(line.quantity, line.cancelled + quantity);
                if (line.answered && line.rejectionReason == null) {
                    out.add(new LineInstruction(orderId, id, line.sku, Action.RELEASE, quantity, Optional.empty()));
                }
            }
        });
        if (whole && status == Status.ACCEPTED) {
            status = Status.CANCELLED;
        }
        closeIfDone(nowMillis);
        return out;
    }

    /** Units of a line left the building, at {@code nowMillis}. */
    public void shipped(String lineId, int quantity, long nowMillis) {
        Line line = lines.get(lineId);
        if (line != null) {
            line.shipped += quantity;
            closeIfDone(nowMillis);
        }
    }

    /** True once the order has been closed for longer than {@code retentionMillis}: it may be forgotten. */
    public boolean forgettable(long nowMillis, long retentionMillis) {
        return closedAtMillis > 0 && nowMillis - closedAtMillis > retentionMillis;
    }

    private void closeIfDone(long nowMillis) {
        boolean allAnswered = lines.values().stream().allMatch(l -> l.answered);
        boolean done = status == Status.REJECTED || (allAnswered && lines.values().stream().allMatch(Line::done));
        if (closedAtMillis == 0 && done) {
            closedAtMillis = nowMillis;
        }
    }

    public Decision decision() {
        List<LineOutcome> outcomes = new ArrayList<>();
        lines.forEach((id, l) -> outcomes.add(new LineOutcome(id, l.sku, l.quantity, l.allocations, Optional.ofNullable(l.rejectionReason))));
        return new Decision(status, outcomes);
    }

    private LineInstruction release(String lineId, Line line) {
        return new LineInstruction(orderId, lineId, line.sku, Action.RELEASE, 0, Optional.empty());
    }
}
