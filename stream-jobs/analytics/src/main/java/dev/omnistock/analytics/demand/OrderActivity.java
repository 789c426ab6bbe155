package dev.omnistock.analytics.demand;

import java.io.Serializable;

/**
 * An order event reduced to what demand needs.
 *
 * @param eventTime  when it happened at the source, epoch milliseconds
 * @param currency   set on PLACED only
 * @param locationId PLACED: the requested store or warehouse (may be null); SHIPPED and RETURNED: where
 *                   the goods left or came back
 * @param wholeOrder CANCELLED only: every open line is cancelled, whatever {@code lines} lists
 */
public record OrderActivity(
        String eventId,
        String orderId,
        long eventTime,
        String channel,
        OrderActivityKind kind,
        String currency,
        String locationId,
        boolean wholeOrder,
        OrderActivityLine[] lines) implements Serializable {
}
