package dev.omnistock.inventory.ledger;

import dev.omnistock.inventory.alerts.AlertRule;
import dev.omnistock.inventory.sourcing.SourcingPolicy;

/**
 * The configurable part of the rules.
 *
 * @param defaultLowStockThreshold threshold for SKUs without their own setting
 */
public record InventoryRules(SourcingPolicy sourcing, AlertRule alerts, int defaultLowStockThreshold) {
}
