package dev.omnistock.inventory.topology;

import dev.omnistock.events.Channel;
import dev.omnistock.events.FulfillmentMethod;
import dev.omnistock.events.OrderCancelled;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.OrderPlaced;
import dev.omnistock.events.OrderShipped;
import dev.omnistock.events.ReturnReceived;
import dev.omnistock.events.ReturnedLine;
import dev.omnistock.events.ShippedLine;
import dev.omnistock.inventory.ledger.AppliedEvents;
import dev.omnistock.inventory.orders.LineInstruction;
import dev.omnistock.inventory.orders.LineInstruction.Action;
import dev.omnistock.inventory.orders.OrderAuthority;
import dev.omnistock.inventory.orders.OrderLineRequest;
import dev.omnistock.inventory.orders.OrderReservation;
import dev.omnistock.inventory.orders.OrderStatus;
import dev.omnistock.inventory.orders.OrderValidation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order side (keyed by orderId): turns order events into per-line ledger instructions, decides
 * each order once every line has its answer, and tells each change of an order on order-status.
 */
final class OrderProcessor implements Processor<String, OrderInput, String, Output> {

    private static final Logger log = LoggerFactory.getLogger(OrderProcessor.class);

    private static final String EXPIRE = "expire|";
    private static final String FORGET = "forget|";

    private final boolean partialOrders;
    private final Duration reservationExpiry;
    private final Duration retention;
    private final int decodedValuesMax;
    private ProcessorContext<String, Output> context;
    private DecodedValues<OrderReservation> orders;
    private WindowStore<Bytes, Long> appliedEvents;
    private Deadlines deadlines;

    /**
     * @param reservationExpiry how long an accepted order may hold its reservations without shipping them
     * @param retention         how long a closed order is remembered (so that a redelivered OrderPlaced stays a no-op)
     */
    OrderProcessor(boolean partialOrders, Duration reservationExpiry, Duration retention, int decodedValuesMax) {
        this.partialOrders = partialOrders;
        this.reservationExpiry = reservationExpiry;
        this.retention = retention;
        this.decodedValuesMax = decodedValuesMax;
    }

    @Override
    public void init(ProcessorContext<String, Output> context) {
        this.context = context;
        this.orders = new DecodedValues<>(context.getStateStore(InventoryTopology.ORDER_STORE), decodedValuesMax);
        this.appliedEvents = context.getStateStore(InventoryTopology.ORDER_APPLIED_EVENTS_STORE);
        this.deadlines = new Deadlines(context.getStateStore(InventoryTopology.ORDER_DEADLINES_STORE));
        context.schedule(Duration.ofMinutes(1), PunctuationType.WALL_CLOCK_TIME, this::onDeadlines);
    }

    /** Expires the reservations of accepted orders held too long, and forgets orders closed for the retention. */
    private void onDeadlines(long nowMillis) {
        int expired = 0;
        int forgotten = 0;
        for (String due : deadlines.takeDue(nowMillis, Deadlines.PER_PUNCTUATION)) {
            String orderId = due.substring(due.indexOf('|') + 1);
            OrderReservation order = orders.get(orderId);
            if (order == null) {
                continue;
            }
            if (due.startsWith(FORGET) && order.forgettable(nowMillis, retention.toMillis())) {
                orders.delete(orderId);
                forgotten++;
            } else if (due.startsWith(EXPIRE)) {
                Before before = Before.of(order);
                List<LineInstruction> releases = order.expire(nowMillis);
                if (!releases.isEmpty()) {
                    track(order, before, order.placedEventId() + "/expiry", orderId, nowMillis);
                    save(order, before.closedAt());
                    forward(new Record<>(orderId, null, nowMillis), releases, order.placedEventId() + "/expiry", Instant.ofEpochMilli(nowMillis));
                    expired++;
                }
            }
        }
        if (expired + forgotten > 0) {
            log.info("Released the reservations of {} orders held longer than {}; forgot {} orders closed for more than {}",
                    expired, reservationExpiry, forgotten, retention);
        }
    }

    /** The order as it stood before an input: what tells the input's change apart. */
    private record Before(OrderStatus status, List<OrderReservation.LineState> lines, long closedAt) {
        static final Before NEW = new Before(null, List.of(), 0);

        static Before of(OrderReservation order) {
            return new Before(order.trackingStatus(), order.lineStates(), order.closedAtMillis());
        }
    }

    /** Sends the order's change to order-status, if the input changed it. */
    private void track(OrderReservation order, Before before, String causedBy, String orderId, long nowMillis) {
        order.track(before.status(), before.lines(), causedBy, nowMillis).ifPresent(change -> context.forward(
                new Record<String, Output>(orderId, new Output.StatusChanged(AvroMapping.statusChange(order, change)), nowMillis)));
    }

    /** Writes the order back; one that just closed is forgotten a retention later. */
    private void save(OrderReservation order, long closedBefore) {
        orders.put(order.orderId(), order);
        if (closedBefore == 0 && order.closedAtMillis() > 0) {
            deadlines.add(order.closedAtMillis() + retention.toMillis(), FORGET + order.orderId());
        }
    }

    @Override
    public void process(Record<String, OrderInput> record) {
        if (record.value() instanceof OrderInput.Answer answer) {
            onAnswer(record, answer);
        } else if (record.value() instanceof OrderInput.Event event) {
            onEvent(record, event.event());
        }
    }

    private void onEvent(Record<String, OrderInput> record, OrderEvent event) {
        if (!event.getOrderId().equals(record.key())) {
            deadLetter(record, "record key '" + record.key() + "' is not the event's orderId '" + event.getOrderId() + "'");
            return;
        }
        String eventId = event.getEventId().toString();
        Object payload = event.getPayload();
        // A placed order is recognised by its order; any other order event by its id, so that a redelivered
        // cancel, shipment or return sends its line commands once (the ledgers rely on that).
        AppliedEvents seen = payload instanceof OrderPlaced
                ? AppliedEvents.NONE : new WindowedAppliedEvents(appliedEvents, context.currentSystemTimeMs(), retention);
        if (seen.contains(eventId)) {
            log.debug("Order event {} of order {} was applied already; ignored", eventId, event.getOrderId());
            return;
        }
        List<LineInstruction> instructions = new ArrayList<>();
        if (payload instanceof OrderPlaced placed) {
            OrderReservation holder = orders.get(event.getOrderId());
            if (holder != null) {
                if (!refused(record, OrderAuthority.placementRefusal(holder, eventId, event.getChannel().name()))) {
                    log.debug("Order {} was placed already; event {} ignored", event.getOrderId(), eventId);
                }
                return;
            }
            List<OrderLineRequest> lines = placed.getLines().stream()
                    .map(l -> new OrderLineRequest(l.getLineId(), l.getSku(), l.getQuantity())).toList();
            Optional<String> invalid = OrderValidation.problem(lines);
            if (invalid.isPresent()) {
                deadLetter(record, "order " + event.getOrderId() + " is invalid: " + invalid.get());
                return;
            }
            // Collected at a store: reserved there or not at all. Sold at the till: already gone from there.
            boolean soldAtTill = event.getChannel() == Channel.STORE_POS;
            boolean collectedThere = placed.getFulfillmentMethod() == FulfillmentMethod.PICKUP_IN_STORE;
            OrderReservation order = OrderReservation.place(event.getOrderId(), eventId, event.getChannel().name(), lines,
                    Optional.ofNullable(placed.getRequestedLocationId()), collectedThere, soldAtTill, partialOrders, instructions);
            track(order, Before.NEW, eventId, order.orderId(), context.currentSystemTimeMs());
            orders.put(order.orderId(), order);
        } else if (payload instanceof OrderCancelled cancelled) {
            OrderReservation order = orders.get(event.getOrderId());
            if (order == null) {
                deadLetter(record, "cancel for order " + event.getOrderId() + ", which this service has never seen placed");
                return;
            }
            if (refused(record, event, OrderAuthority.Command.CANCEL, order)) {
                return;
            }
            Map<String, Integer> quantities = new HashMap<>();
            cancelled.getLines().forEach(l -> quantities.put(l.getLineId(), l.getQuantity()));
            List<String> lineIds = cancelled.getWholeOrder() ? List.of() : List.copyOf(quantities.keySet());
            Before before = Before.of(order);
            instructions.addAll(order.cancel(lineIds, quantities, context.currentSystemTimeMs()));
            track(order, before, eventId, order.orderId(), context.currentSystemTimeMs());
            save(order, before.closedAt());
        } else if (payload instanceof OrderShipped shipped) {
            OrderReservation order = orders.get(event.getOrderId());
            if (order == null) {
                deadLetter(record, "shipment for order " + event.getOrderId() + ", which this service has never seen placed");
                return;
            }
            if (refused(record, event, OrderAuthority.Command.SHIP, order)) {
                return;
            }
            Before before = Before.of(order);
            for (ShippedLine l : shipped.getLines()) {
                Optional<String> refused = order.ship(l.getLineId(), l.getQuantity(), context.currentSystemTimeMs());
                if (refused.isPresent()) {
                    orders.forget(order.orderId()); // lines of this shipment already counted stay out of the store
                    deadLetter(record, refused.get());
                    return;
                }
                instructions.add(new LineInstruction(event.getOrderId(), l.getLineId(), l.getSku(),
                        Action.SHIP, l.getQuantity(), Optional.of(shipped.getLocationId())));
            }
            track(order, before, eventId, order.orderId(), context.currentSystemTimeMs());
            save(order, before.closedAt());
        } else if (payload instanceof ReturnReceived returned) {
            // The ledgers book the goods; the order, if still known, counts them and says whose key may send its
            // returns. One it does not know takes returns from a warehouse's or admin's key only.
            OrderReservation order = orders.get(event.getOrderId());
            if (order == null ? refused(record, OrderAuthority.unknownOrderReturnRefusal(event.getOrderId(), AvroMapping.key(event)))
                    : refused(record, event, OrderAuthority.Command.RETURN, order)) {
                return;
            }
            returned.getLines().forEach(l -> instructions.add(new LineInstruction(event.getOrderId(), l.getLineId(), l.getSku(),
                    l.getResellable() ? Action.RETURN_RESELLABLE : Action.RETURN_DAMAGED, l.getQuantity(),
                    Optional.of(returned.getLocationId()))));
            if (order != null) {
                Before before = Before.of(order);
                boolean counted = false;
                for (ReturnedLine l : returned.getLines()) {
                    counted |= order.returned(l.getLineId(), l.getQuantity(), context.currentSystemTimeMs());
                }
                if (counted) {
                    track(order, before, eventId, order.orderId(), context.currentSystemTimeMs());
                    save(order, before.closedAt());
                }
            }
        }
        seen.add(eventId);
        forward(record, instructions, eventId, event.getEventTime());
    }

    private void onAnswer(Record<String, OrderInput> record, OrderInput.Answer answer) {
        OrderReservation order = orders.get(record.key());
        if (order == null) {
            deadLetter(record, "line answer for order " + record.key() + ", which this service has never seen placed");
            return;
        }
        Before before = Before.of(order);
        OrderReservation.Step step = order.onLineAnswer(answer.answer().getLineId(), AvroMapping.allocations(answer.answer()),
                Optional.ofNullable(answer.answer().getRejectionReason()), context.currentSystemTimeMs());
        track(order, before, order.placedEventId() + "/answer/" + answer.answer().getLineId(), order.orderId(), context.currentSystemTimeMs());
        save(order, before.closedAt());
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        if (order.status() == OrderReservation.Status.ACCEPTED && step.decision().isPresent()) {
            deadlines.add(now.toEpochMilli() + reservationExpiry.toMillis(), EXPIRE + order.orderId());
        }
        forward(record, step.instructions(), order.placedEventId() + "/compensation", now);
        step.decision().ifPresent(decision -> context.forward(record.withKey(order.orderId())
                .withValue(new Output.DecisionMade(AvroMapping.decision(order, decision, now)))));
    }

    private void forward(Record<String, OrderInput> record, List<LineInstruction> instructions, String sourceEventId, Instant eventTime) {
        for (LineInstruction instruction : instructions) {
            context.forward(record.withKey(instruction.sku())
                    .withValue(new Output.LedgerInstruction(AvroMapping.lineCommand(instruction, sourceEventId, eventTime))));
        }
    }

    /**
     * Refuses a command the key it came with may not make: it is dead-lettered with the reason, and
     * neither the order nor a ledger changes.
     */
    private boolean refused(Record<String, OrderInput> record, OrderEvent event, OrderAuthority.Command command, OrderReservation order) {
        return refused(record, OrderAuthority.refusal(command, order, AvroMapping.key(event), event.getChannel().name()));
    }

    /** Dead-letters the record with the refusal, if there is one. */
    private boolean refused(Record<String, OrderInput> record, Optional<String> refusal) {
        refusal.ifPresent(reason -> deadLetter(record, "refused: " + reason)); // the dead-lettering logs it
        return refusal.isPresent();
    }

    private void deadLetter(Record<String, OrderInput> record, String reason) {
        context.forward(record.withValue(InventoryTopology.Rejections.letter(context, record.value().bytes(), reason)));
    }
}
