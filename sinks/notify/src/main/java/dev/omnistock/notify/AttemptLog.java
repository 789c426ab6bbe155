package dev.omnistock.notify;

import dev.omnistock.events.DestinationKind;
import dev.omnistock.events.NotificationAttempt;
import dev.omnistock.notify.delivery.Delivery;
import dev.omnistock.notify.subscriptions.Subscription;

/** Where each attempt is told, for the delivery log (notification-attempts, then ClickHouse). */
@FunctionalInterface
interface AttemptLog {

    void log(NotificationAttempt attempt);

    /** The record of a delivery's last attempt. */
    static NotificationAttempt of(Delivery delivery, Subscription subscription) {
        Delivery.Attempt attempt = delivery.lastAttempt();
        return NotificationAttempt.newBuilder()
                .setDeliveryId(delivery.id())
                .setSubscriptionId(subscription.id())
                .setNoticeId(delivery.notice().id())
                .setKind(delivery.notice().kind())
                .setDestinationKind(DestinationKind.valueOf(subscription.destination().kind().name()))
                .setAttempt(attempt.number())
                .setAttemptedAt(attempt.at())
                .setStatusCode(attempt.statusCode())
                .setLatencyMs(attempt.latencyMs())
                .setOutcome(attempt.outcome())
                .setFailure(attempt.error())
                .setNextAttemptAt(delivery.status() == Delivery.Status.PENDING ? delivery.nextAttemptAt() : null)
                .build();
    }
}
