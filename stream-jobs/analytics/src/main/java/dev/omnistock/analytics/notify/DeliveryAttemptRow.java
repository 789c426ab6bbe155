package dev.omnistock.analytics.notify;

import java.io.Serializable;

/**
 * A row of notification_attempts, the notifier's delivery log: one attempt to deliver one notice to
 * one subscription. Identity: deliveryId, attempt.
 *
 * @param statusCode    -1 when no HTTP status came (a timeout, a refused connection, an e-mail)
 * @param nextAttemptAt 0 unless another attempt is due
 */
public record DeliveryAttemptRow(String deliveryId, String subscriptionId, String noticeId, String kind, String destinationKind, int attempt,
                                 long attemptedAt, int statusCode, long latencyMs, String outcome, String failure, long nextAttemptAt)
        implements Serializable {
}
