package dev.omnistock.inventory.topology;

import dev.omnistock.events.AlertType;
import dev.omnistock.events.Channel;
import dev.omnistock.events.DecisionStatus;
import dev.omnistock.events.InboundExpected;
import dev.omnistock.events.InventoryAlert;
import dev.omnistock.events.InventoryPosition;
import dev.omnistock.events.InventorySettings;
import dev.omnistock.events.KeyRole;
import dev.omnistock.events.LineAction;
import dev.omnistock.events.LineCommand;
import dev.omnistock.events.LineDecision;
import dev.omnistock.events.LocationPosition;
import dev.omnistock.events.OrderDecision;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.OrderLineStatus;
import dev.omnistock.events.OrderStatusChanged;
import dev.omnistock.events.StockAdjusted;
import dev.omnistock.events.StockCounted;
import dev.omnistock.events.StockEvent;
import dev.omnistock.events.StockReceived;
import dev.omnistock.inventory.ledger.LedgerCommand;
import dev.omnistock.inventory.ledger.Outcome;
import dev.omnistock.inventory.ledger.Position;
import dev.omnistock.inventory.orders.LineInstruction;
import dev.omnistock.inventory.orders.OrderAuthority;
import dev.omnistock.inventory.orders.OrderReservation;
import dev.omnistock.inventory.sourcing.Allocation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;

/** Between the Avro contract and the domain's own types. */
final class AvroMapping {

    private AvroMapping() {
    }

    static LedgerCommand command(StockEvent event) {
        String location = event.getLocationId();
        Object payload = event.getPayload();
        if (payload instanceof StockCounted c) {
            return new LedgerCommand.Count(location, c.getOnHand());
        } else if (payload instanceof StockReceived r) {
            return new LedgerCommand.Receive(location, r.getQuantity(), Optional.ofNullable(r.getInboundId()));
        } else if (payload instanceof InboundExpected e) {
            return new LedgerCommand.ExpectInbound(location, e.getInboundId(), e.getQuantity(),
                    e.getExpectedAt() == null ? OptionalLong.empty() : OptionalLong.of(e.getExpectedAt().toEpochMilli()));
        } else if (payload instanceof StockAdjusted a) {
            return switch (a.getReason()) {
                case DAMAGE, QUALITY_HOLD -> new LedgerCommand.MarkUnavailable(location, a.getDelta());
                case HOLD_RELEASED -> new LedgerCommand.ReleaseUnavailable(location, a.getDelta());
                default -> new LedgerCommand.AdjustOnHand(location, a.getDelta());
            };
        }
        throw new IllegalArgumentException("unknown stock event payload " + payload.getClass().getName());
    }

    static LedgerCommand command(LineCommand c) {
        return switch (c.getAction()) {
            case RESERVE -> new LedgerCommand.Reserve(c.getOrderId(), c.getLineId(), c.getQuantity(), Optional.ofNullable(c.getLocationId()),
                    c.getRequestedLocationOnly(), c.getSoldAtLocation());
            case RELEASE -> new LedgerCommand.Release(c.getOrderId(), c.getLineId(),
                    c.getQuantity() == 0 ? OptionalInt.empty() : OptionalInt.of(c.getQuantity()));
            case SHIP -> new LedgerCommand.Ship(c.getOrderId(), c.getLineId(), c.getLocationId(), c.getQuantity());
            case RETURN_RESELLABLE -> new LedgerCommand.AcceptReturn(c.getLocationId(), c.getQuantity(), true);
            case RETURN_DAMAGED -> new LedgerCommand.AcceptReturn(c.getLocationId(), c.getQuantity(), false);
        };
    }

    static LedgerCommand command(InventorySettings s) {
        return new LedgerCommand.Configure(Optional.ofNullable(s.getLocationId()),
                s.getSafetyStock() == null ? OptionalInt.empty() : OptionalInt.of(s.getSafetyStock()),
                s.getLowStockThreshold() == null ? OptionalInt.empty() : OptionalInt.of(s.getLowStockThreshold()));
    }

    /** @param sourceEventId the order event that caused it: with line and action, the command's stable id */
    /** The key an order command came with; a role this build does not know is held to a channel key's rights. */
    static Optional<OrderAuthority.Key> key(OrderEvent event) {
        KeyRole role = event.getKeyRole();
        if (role == null) {
            return Optional.empty();
        }
        return Optional.of(switch (role) {
            case WAREHOUSE -> OrderAuthority.Key.WAREHOUSE;
            case ADMIN -> OrderAuthority.Key.ADMIN;
            case CHANNEL, UNKNOWN -> OrderAuthority.Key.CHANNEL;
        });
    }

    static LineCommand lineCommand(LineInstruction instruction, String sourceEventId, Instant eventTime) {
        return LineCommand.newBuilder()
                .setCommandId(sourceEventId + "/" + instruction.lineId() + "/" + instruction.action())
                .setEventTime(eventTime)
                .setOrderId(instruction.orderId())
                .setLineId(instruction.lineId())
                .setSku(instruction.sku())
                .setAction(LineAction.valueOf(instruction.action().name()))
                .setQuantity(instruction.quantity())
                .setLocationId(instruction.locationId().orElse(null))
                .setRequestedLocationOnly(instruction.locationOnly())
                .setSoldAtLocation(instruction.sold())
                .build();
    }

    static LineDecision lineAnswer(String sku, Outcome.ReservationDecision decision) {
        return LineDecision.newBuilder()
                .setLineId(decision.lineId())
                .setSku(sku)
                .setQuantity(decision.quantity())
                .setAllocations(allocations(decision.allocations()))
                .setRejectionReason(decision.rejectionReason().orElse(null))
                .build();
    }

    static List<Allocation> allocations(LineDecision answer) {
        return answer.getAllocations().stream().map(a -> new Allocation(a.getLocationId(), a.getQuantity())).toList();
    }

    static OrderDecision decision(OrderReservation order, OrderReservation.Decision decision, Instant decidedAt) {
        DecisionStatus status = decision.status() == OrderReservation.Status.ACCEPTED ? DecisionStatus.ACCEPTED : DecisionStatus.REJECTED;
        return OrderDecision.newBuilder()
                // The same order decided again (a replay) gets the same id.
                .setDecisionId(UUID.nameUUIDFromBytes((order.orderId() + "/" + status).getBytes(StandardCharsets.UTF_8)))
                .setDecidedAt(decidedAt)
                .setOrderId(order.orderId())
                .setOrderEventId(order.placedEventId())
                .setChannel(Channel.valueOf(order.channel()))
                .setStatus(status)
                .setLines(decision.lines().stream().map(l -> LineDecision.newBuilder()
                        .setLineId(l.lineId())
                        .setSku(l.sku())
                        .setQuantity(l.quantity())
                        .setAllocations(allocations(l.allocations()))
                        .setRejectionReason(l.rejectionReason().orElse(null))
                        .build()).toList())
                .build();
    }

    static OrderStatusChanged statusChange(OrderReservation order, OrderReservation.StatusChange change) {
        return OrderStatusChanged.newBuilder()
                .setChangeId(order.changeId(change))
                .setOrderId(order.orderId())
                .setSequence(change.sequence())
                .setChangedAt(Instant.ofEpochMilli(change.atMillis()))
                .setChannel(Channel.valueOf(order.channel()))
                .setPreviousStatus(change.previous() == null ? null : dev.omnistock.events.OrderStatus.valueOf(change.previous().name()))
                .setStatus(dev.omnistock.events.OrderStatus.valueOf(change.status().name()))
                .setCausedBy(change.causedBy())
                .setChangedLines(change.lines().stream().map(AvroMapping::lineStatus).toList())
                .build();
    }

    private static OrderLineStatus lineStatus(OrderReservation.LineState line) {
        return OrderLineStatus.newBuilder()
                .setLineId(line.lineId())
                .setSku(line.sku())
                .setOrdered(line.quantity())
                .setReserved(line.reserved() ? line.quantity() : 0)
                .setRefused(line.unitsRefused())
                .setShipped(line.shipped())
                .setCancelled(line.cancelled())
                .setReturned(line.returned())
                .setExpired(line.expired())
                .setReservedAt(allocations(line.allocations()))
                .setRefusalReason(line.rejectionReason())
                .build();
    }

    static InventoryPosition position(Position position, Instant updatedAt, String causedByEventId) {
        return InventoryPosition.newBuilder()
                .setSku(position.sku())
                .setLocations(position.locations().stream().map(l -> LocationPosition.newBuilder()
                        .setLocationId(l.locationId())
                        .setOnHand(l.totals().onHand())
                        .setCommitted(l.totals().committed())
                        .setIncoming(l.totals().incoming())
                        .setUnavailable(l.totals().unavailable())
                        .setSafetyStock(l.totals().safetyStock())
                        .setAvailable(l.totals().available())
                        .build()).toList())
                .setOnHand(position.network().onHand())
                .setCommitted(position.network().committed())
                .setIncoming(position.network().incoming())
                .setUnavailable(position.network().unavailable())
                .setSafetyStock(position.network().safetyStock())
                .setAvailable(position.network().available())
                .setUpdatedAt(updatedAt)
                .setVersion(position.version())
                .setCausedByEventId(causedByEventId)
                .build();
    }

    static InventoryAlert alert(String sku, Outcome.Alert alert, Instant at, String causedByEventId) {
        return InventoryAlert.newBuilder()
                // One alert per cause, scope and kind: a replay produces the same id.
                .setAlertId(UUID.nameUUIDFromBytes((causedByEventId + "/" + alert.locationId().orElse("") + "/" + alert.kind())
                        .getBytes(StandardCharsets.UTF_8)))
                .setEventTime(at)
                .setSku(sku)
                .setLocationId(alert.locationId().orElse(null))
                .setType(AlertType.valueOf(alert.kind().name()))
                .setAvailable(alert.available())
                .setThreshold(alert.threshold())
                .setCausedByEventId(causedByEventId)
                .build();
    }

    private static List<dev.omnistock.events.Allocation> allocations(List<Allocation> allocations) {
        return allocations.stream().map(a -> new dev.omnistock.events.Allocation(a.locationId(), a.quantity())).toList();
    }
}
