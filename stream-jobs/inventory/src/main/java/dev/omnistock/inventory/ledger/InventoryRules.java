package dev.omnistock.inventory.ledger;

import dev.omnistock.inventory.alerts.AlertRule;
import dev.omnistock.inventory.sourcing.SourcingPolicy;
import java.time.Duration;

/**
 * The configurable part of the rules.
 *
 * @param defaultLowStockThreshold threshold for SKUs without their own setting
 * @param inboundExpiry            how long after its expected arrival (or, when none was given, after it was
 *                                 announced) an expected inbound that has not arrived stops counting as incoming
 */
public record InventoryRules(SourcingPolicy sourcing, AlertRule alerts, int defaultLowStockThreshold, Duration inboundExpiry) {
}
