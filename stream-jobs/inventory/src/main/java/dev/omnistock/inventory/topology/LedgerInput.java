package dev.omnistock.inventory.topology;

import dev.omnistock.events.InventorySettings;
import dev.omnistock.events.LineCommand;
import dev.omnistock.events.StockEvent;

/** What reaches a SKU's ledger, from three topics. */
sealed interface LedgerInput {

    record Stock(StockEvent event) implements LedgerInput {
    }

    record Line(LineCommand command) implements LedgerInput {
    }

    record Settings(InventorySettings settings) implements LedgerInput {
    }
}
