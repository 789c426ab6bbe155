package dev.omnistock.inventory.ledger;

import dev.omnistock.inventory.alerts.AlertRule;
import dev.omnistock.inventory.sourcing.SourcingPolicy;

/**
 * The configurable part of the rules.
 *
 * @param defaultLowStockThreshold threshold for SKUs without their own setting
 * @param recentEventIds           how many event ids per SKU are remembered to drop redeliveries and duplicates
 */
public record InventoryRules(SourcingPolicy sourcing, AlertRule alerts, int defaultLowStockThreshold, int recentEventIds) {
}
