package dev.omnistock.inventory.alerts;

/** Where a SKU's availability stands against its threshold, as last alerted. */
public enum StockLevel {
    IN_STOCK, LOW, OUT
}
