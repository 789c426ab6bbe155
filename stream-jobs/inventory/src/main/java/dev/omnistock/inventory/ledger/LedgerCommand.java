package dev.omnistock.inventory.ledger;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Everything that can change one SKU's ledger, in the retailer's words. */
public sealed interface LedgerCommand {

    /** An absolute count at a location (WMS snapshot, store count). */
    record Count(String locationId, int onHand) implements LedgerCommand {
    }

    /** A change of on_hand by {@code delta} (shrink, theft, found, correction...). */
    record AdjustOnHand(String locationId, int delta) implements LedgerCommand {
    }

    /** Units that are physically there but not sellable (damage, quality hold). */
    record MarkUnavailable(String locationId, int quantity) implements LedgerCommand {
    }

    /** Units released from a hold back to sellable. */
    record ReleaseUnavailable(String locationId, int quantity) implements LedgerCommand {
    }

    /** An expected receipt (PO, ASN, transfer) that counts as incoming until received. */
    /** Goods on their way; {@code expectedAtMillis} when the sender said they will arrive (empty: not said). */
    record ExpectInbound(String locationId, String inboundId, int quantity, OptionalLong expectedAtMillis) implements LedgerCommand {
    }

    record Receive(String locationId, int quantity, Optional<String> inboundId) implements LedgerCommand {
    }

    /**
     * Reserve an order line, at a location the sourcing policy picks (only the requested one when requestedOnly).
     * A line already sold at the requested location (a till sale) is reserved there whatever is available.
     */
    record Reserve(String orderId, String lineId, int quantity, Optional<String> requestedLocationId, boolean requestedOnly, boolean sold)
            implements LedgerCommand {
    }

    /** Release a line's reservation: {@code quantity} units, or all of it when empty. */
    record Release(String orderId, String lineId, OptionalInt quantity) implements LedgerCommand {
    }

    /** Reserved units leave the building: on_hand and committed fall together. */
    record Ship(String orderId, String lineId, String locationId, int quantity) implements LedgerCommand {
    }

    /** Returned goods: sellable again, or on hand but unavailable. */
    record AcceptReturn(String locationId, int quantity, boolean resellable) implements LedgerCommand {
    }

    /** Planning settings for the whole SKU (locationId empty) or one location; empty values keep the current one. */
    record Configure(Optional<String> locationId, OptionalInt safetyStock, OptionalInt lowStockThreshold) implements LedgerCommand {
    }
}
