package dev.omnistock.generator.model;

import java.util.List;
import java.util.Map;

/**
 * One thing that happens to the inventory service in a model-based test: an event from outside, the
 * delivery of a message between its two sides, or the passing of time.
 */
public sealed interface Step {

    /** An event from a channel; a duplicate carries an earlier event's id. */
    sealed interface External extends Step {
        String eventId();

        long eventTime();
    }

    enum StockKind { COUNT, RECEIVE, ADJUST, DAMAGE, RELEASE_HOLD, EXPECT }

    /** @param inboundId RECEIVE and EXPECT; may be null for RECEIVE
     *  @param expectedAt EXPECT only, may be null */
    record Stock(String eventId, long eventTime, String sku, String location, StockKind kind, int quantity, String inboundId,
                 Long expectedAt) implements External {
    }

    /** Safety stock for the SKU (location null) or one location. */
    record SafetyStock(String eventId, long eventTime, String sku, String location, int safetyStock) implements External {
    }

    record Line(String lineId, String sku, int quantity) {
    }

    /** @param tillSale sold at requestedLocation already; pickup: collected there */
    record Place(String eventId, long eventTime, String orderId, boolean tillSale, boolean pickup, String requestedLocation,
                 List<Line> lines) implements External {
    }

    /** @param lines lineId to units to cancel; ignored when whole */
    record Cancel(String eventId, long eventTime, String orderId, boolean whole, Map<String, Integer> lines) implements External {
    }

    record Ship(String eventId, long eventTime, String orderId, String location, List<Line> lines) implements External {
    }

    record Return(String eventId, long eventTime, String orderId, String location, Line line, boolean resellable) implements External {
    }

    /** The oldest line command on its way to this SKU's ledger arrives. */
    record DeliverCommand(String sku) implements Step {
    }

    /** The oldest answer on its way to this order arrives. */
    record DeliverAnswer(String orderId) implements Step {
    }

    /** The service's clock moves on. */
    record Advance(long millis) implements Step {
    }
}
