package dev.omnistock.inventory.alerts;

public enum AlertKind {
    LOW_STOCK, OUT_OF_STOCK, BACK_IN_STOCK
}
