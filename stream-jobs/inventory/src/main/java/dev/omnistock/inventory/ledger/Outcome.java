package dev.omnistock.inventory.ledger;

import dev.omnistock.inventory.alerts.AlertKind;
import dev.omnistock.inventory.sourcing.Allocation;
import java.util.List;
import java.util.Optional;

/**
 * What applying one command did.
 *
 * @param status      APPLIED (the position changed or a reservation was decided), IGNORED (a duplicate
 *                    or a stale movement: nothing to do) or REJECTED (impossible; nothing changed)
 * @param reason      why it was ignored or rejected
 * @param reservation for a Reserve: where the line was reserved, or why not
 * @param alerts      alerts the change fired
 */
public record Outcome(Status status, Optional<String> reason, Optional<ReservationDecision> reservation, List<Alert> alerts) {

    public enum Status { APPLIED, IGNORED, REJECTED }

    /** The answer to a Reserve: allocations when reserved, a reason when not. */
    public record ReservationDecision(String orderId, String lineId, int quantity, List<Allocation> allocations,
                                      Optional<String> rejectionReason) {
        public boolean reserved() {
            return rejectionReason.isEmpty();
        }
    }

    /** @param locationId empty for the network (all locations) */
    public record Alert(Optional<String> locationId, AlertKind kind, int available, int threshold) {
    }

    static Outcome applied(List<Alert> alerts) {
        return new Outcome(Status.APPLIED, Optional.empty(), Optional.empty(), alerts);
    }

    static Outcome ignored(String reason) {
        return new Outcome(Status.IGNORED, Optional.of(reason), Optional.empty(), List.of());
    }

    static Outcome rejected(String reason) {
        return new Outcome(Status.REJECTED, Optional.of(reason), Optional.empty(), List.of());
    }

    Outcome withReservation(ReservationDecision decision) {
        return new Outcome(status, reason, Optional.of(decision), alerts);
    }
}
