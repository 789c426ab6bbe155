package dev.omnistock.inventory.topology;

import dev.omnistock.events.InventorySettings;
import dev.omnistock.events.LineCommand;
import dev.omnistock.events.StockEvent;

/** What reaches a SKU's ledger, from three topics. */
sealed interface LedgerInput {

    /** The bytes it was read from, for a dead letter. */
    byte[] bytes();

    record Stock(StockEvent event, byte[] bytes) implements LedgerInput {
    }

    record Line(LineCommand command, byte[] bytes) implements LedgerInput {
    }

    record Settings(InventorySettings settings, byte[] bytes) implements LedgerInput {
    }
}
