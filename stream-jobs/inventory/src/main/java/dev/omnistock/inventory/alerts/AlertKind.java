package dev.omnistock.inventory.alerts;

public enum AlertKind {
    LOW_STOCK, OUT_OF_STOCK, BACK_IN_STOCK,
    /** A till sale took more than the ledger believed available at its store: the ledger is wrong until the next count. */
    OVERSOLD
}
