package dev.omnistock.analytics.demand;

import java.io.Serializable;
import java.math.BigDecimal;

/**
 * One line of an order event.
 *
 * @param unitPrice set on placed lines only
 */
public record OrderActivityLine(String lineId, String sku, int quantity, BigDecimal unitPrice) implements Serializable {
}
