package dev.omnistock.ingestion.requests;

import dev.omnistock.events.AdjustmentReason;
import dev.omnistock.events.CountType;
import dev.omnistock.events.InboundExpected;
import dev.omnistock.events.InventorySettings;
import dev.omnistock.events.StockAdjusted;
import dev.omnistock.events.StockCounted;
import dev.omnistock.events.StockEvent;
import dev.omnistock.events.StockReceived;
import java.util.List;

/** The JSON bodies of the stock and settings endpoints, their checks, and their canonical events. */
public final class StockRequests {

    private StockRequests() {
    }

    public record Count(String sku, String locationId, Integer onHand, String countType) {

        public List<FieldError> problems() {
            Checks checks = new Checks();
            checks.id("sku", sku);
            checks.id("locationId", locationId);
            checks.notNegative("onHand", onHand, true);
            checks.oneOf("countType", countType, CountType.class, false);
            return checks.errors();
        }

        public StockEvent toEvent(Envelope envelope) {
            return stock(envelope, sku, locationId,
                    new StockCounted(onHand, countType == null ? CountType.OTHER : CountType.valueOf(countType)));
        }
    }

    public record Receipt(String sku, String locationId, Integer quantity, String inboundId) {

        public List<FieldError> problems() {
            Checks checks = new Checks();
            checks.id("sku", sku);
            checks.id("locationId", locationId);
            checks.positive("quantity", quantity);
            checks.optionalId("inboundId", inboundId);
            return checks.errors();
        }

        public StockEvent toEvent(Envelope envelope) {
            return stock(envelope, sku, locationId, new StockReceived(quantity, inboundId));
        }
    }

    public record Adjustment(String sku, String locationId, Integer delta, String reason, String note) {

        public List<FieldError> problems() {
            Checks checks = new Checks();
            checks.id("sku", sku);
            checks.id("locationId", locationId);
            checks.nonZero("delta", delta);
            checks.oneOf("reason", reason, AdjustmentReason.class, true);
            return checks.errors();
        }

        public StockEvent toEvent(Envelope envelope) {
            return stock(envelope, sku, locationId, new StockAdjusted(delta, AdjustmentReason.valueOf(reason), note));
        }
    }

    public record Inbound(String sku, String locationId, String inboundId, Integer quantity) {

        public List<FieldError> problems() {
            Checks checks = new Checks();
            checks.id("sku", sku);
            checks.id("locationId", locationId);
            checks.id("inboundId", inboundId);
            checks.positive("quantity", quantity);
            return checks.errors();
        }

        public StockEvent toEvent(Envelope envelope) {
            return stock(envelope, sku, locationId, new InboundExpected(inboundId, quantity, null));
        }
    }

    public record Settings(String sku, String locationId, Integer lowStockThreshold, Integer safetyStock,
                           Integer replenishmentLeadTimeDays) {

        public List<FieldError> problems() {
            Checks checks = new Checks();
            checks.id("sku", sku);
            checks.optionalId("locationId", locationId);
            checks.notNegative("lowStockThreshold", lowStockThreshold, false);
            checks.notNegative("safetyStock", safetyStock, false);
            checks.notNegative("replenishmentLeadTimeDays", replenishmentLeadTimeDays, false);
            if (lowStockThreshold == null && safetyStock == null && replenishmentLeadTimeDays == null) {
                checks.add("lowStockThreshold", "at least one of lowStockThreshold, safetyStock, replenishmentLeadTimeDays is required");
            }
            return checks.errors();
        }

        /** The compacted topic's key: one setting in force per SKU, or per SKU and location. */
        public String key() {
            return locationId == null ? sku : sku + "@" + locationId;
        }

        public InventorySettings toEvent(Envelope envelope) {
            return InventorySettings.newBuilder().setEventId(envelope.eventId()).setEventTime(envelope.eventTime())
                    .setChannel(envelope.channel()).setSourceSystem(envelope.sourceSystem())
                    .setSku(sku).setLocationId(locationId).setLowStockThreshold(lowStockThreshold)
                    .setSafetyStock(safetyStock).setReplenishmentLeadTimeDays(replenishmentLeadTimeDays).build();
        }
    }

    private static StockEvent stock(Envelope envelope, String sku, String locationId, Object payload) {
        return StockEvent.newBuilder().setEventId(envelope.eventId()).setEventTime(envelope.eventTime())
                .setChannel(envelope.channel()).setSourceSystem(envelope.sourceSystem())
                .setSku(sku).setLocationId(locationId).setPayload(payload).build();
    }
}
