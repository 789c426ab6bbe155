package dev.omnistock.inventory.topology;

import dev.omnistock.inventory.ledger.AppliedEvents;
import dev.omnistock.inventory.ledger.InventoryRules;
import dev.omnistock.inventory.ledger.LedgerCommand;
import dev.omnistock.inventory.ledger.Outcome;
import dev.omnistock.inventory.ledger.SkuLedger;
import dev.omnistock.inventory.sourcing.Allocation;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies stock movements, order-line commands and settings to the SKU's ledger (keyed by SKU). */
final class LedgerProcessor implements Processor<String, LedgerInput, String, Output> {

    private static final Logger log = LoggerFactory.getLogger(LedgerProcessor.class);

    private final InventoryRules rules;
    private final Duration dedupeRetention;
    private final int decodedValuesMax;
    private ProcessorContext<String, Output> context;
    private DecodedValues<SkuLedger> ledgers;
    private KeyValueStore<String, Allocation[]> reservations;
    private WindowStore<Bytes, Long> appliedEvents;
    private Deadlines inboundExpiries;

    LedgerProcessor(InventoryRules rules, Duration dedupeRetention, int decodedValuesMax) {
        this.rules = rules;
        this.dedupeRetention = dedupeRetention;
        this.decodedValuesMax = decodedValuesMax;
    }

    @Override
    public void init(ProcessorContext<String, Output> context) {
        this.context = context;
        this.ledgers = new DecodedValues<>(context.getStateStore(InventoryTopology.LEDGER_STORE), decodedValuesMax);
        this.reservations = context.getStateStore(InventoryTopology.RESERVATION_STORE);
        this.appliedEvents = context.getStateStore(InventoryTopology.APPLIED_EVENTS_STORE);
        this.inboundExpiries = new Deadlines(context.getStateStore(InventoryTopology.SKU_DEADLINES_STORE));
        context.schedule(Duration.ofMinutes(1), PunctuationType.WALL_CLOCK_TIME, this::expireInbound);
    }

    /** Expected inbound that never came stops counting as incoming; its SKUs' positions are published. */
    private void expireInbound(long nowMillis) {
        for (String sku : inboundExpiries.takeDue(nowMillis, Deadlines.PER_PUNCTUATION)) {
            SkuLedger ledger = ledgers.get(sku);
            if (ledger == null) {
                continue;
            }
            if (ledger.expireInbound(nowMillis)) {
                ledgers.put(sku, ledger);
                log.info("SKU {}: expected inbound overdue by more than the expiry no longer counts as incoming", sku);
                context.forward(new Record<>(sku, new Output.PositionChanged(AvroMapping.position(ledger.position(),
                        Instant.ofEpochMilli(nowMillis), null)), nowMillis));
            }
            ledger.nextInboundExpiry().ifPresent(due -> inboundExpiries.add(due, sku));
        }
    }

    @Override
    public void process(Record<String, LedgerInput> record) {
        LedgerInput input = record.value();
        String sku = record.key();
        Applied applied = toCommand(input);
        if (sku == null || !sku.equals(applied.sku)) {
            deadLetter(record, input, "record key '" + sku + "' is not the event's SKU '" + applied.sku + "'");
            return;
        }
        SkuLedger ledger = ledgers.get(sku);
        if (ledger == null) {
            ledger = new SkuLedger(sku);
        }
        // Stock movements and settings come from outside and may come twice; line commands were deduplicated
        // on the order side, where their order events arrive.
        AppliedEvents seen = input instanceof LedgerInput.Line
                ? AppliedEvents.NONE : new WindowedAppliedEvents(appliedEvents, context.currentSystemTimeMs(), dedupeRetention);
        Outcome outcome = ledger.apply(applied.eventId, applied.eventTime.toEpochMilli(), applied.command, rules,
                new StoreReservationBook(reservations, sku), seen);
        if (outcome.status() == Outcome.Status.APPLIED) {
            ledgers.put(sku, ledger);
            if (applied.command instanceof LedgerCommand.ExpectInbound) {
                ledger.nextInboundExpiry().ifPresent(due -> inboundExpiries.add(due, sku));
            }
        } else {
            ledgers.forget(sku); // a refused command may have touched it (a location created on the way)
        }
        outcome.reservation().ifPresent(decision -> context.forward(
                record.withKey(decision.orderId()).withValue(new Output.LineAnswered(AvroMapping.lineAnswer(sku, decision)))));
        switch (outcome.status()) {
            case REJECTED -> deadLetter(record, input, outcome.reason().orElse("rejected"));
            case IGNORED -> log.debug("SKU {}: {}", sku, outcome.reason().orElse("ignored"));
            case APPLIED -> {
                Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
                context.forward(record.withValue(new Output.PositionChanged(AvroMapping.position(ledger.position(), now, applied.eventId))));
                for (Outcome.Alert alert : outcome.alerts()) {
                    context.forward(record.withValue(new Output.AlertRaised(AvroMapping.alert(sku, alert, now, applied.eventId))));
                }
            }
        }
    }

    private record Applied(String sku, String eventId, Instant eventTime, LedgerCommand command) {
    }

    private static Applied toCommand(LedgerInput input) {
        if (input instanceof LedgerInput.Stock s) {
            return new Applied(s.event().getSku(), s.event().getEventId().toString(), s.event().getEventTime(), AvroMapping.command(s.event()));
        } else if (input instanceof LedgerInput.Line l) {
            return new Applied(l.command().getSku(), l.command().getCommandId(), l.command().getEventTime(), AvroMapping.command(l.command()));
        } else if (input instanceof LedgerInput.Settings s) {
            return new Applied(s.settings().getSku(), s.settings().getEventId().toString(), s.settings().getEventTime(), AvroMapping.command(s.settings()));
        }
        throw new IllegalArgumentException("unknown ledger input " + input);
    }

    private void deadLetter(Record<String, LedgerInput> record, LedgerInput input, String reason) {
        context.forward(record.withValue(InventoryTopology.Rejections.letter(context, input.bytes(), reason)));
    }
}
