package dev.omnistock.notify;

import dev.omnistock.notify.delivery.Delivery;
import dev.omnistock.notify.delivery.DeliveryStore;
import dev.omnistock.notify.delivery.RetrySchedule;
import dev.omnistock.notify.send.Sender;
import dev.omnistock.notify.subscriptions.Subscription;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One attempt of one delivery, on a worker: send, then record what came of it. What a receiver
 * answered is written until it is written: an acknowledged notice is not sent again because only its
 * record failed, and nothing else of the delivery happens meanwhile.
 */
final class Attempts {

    private final SubscriptionStore subscriptions;
    private final DeliveryStore deliveries;
    private final DisablePolicy policy;
    private final AttemptLog attemptLog;
    private final Map<Subscription.Kind, Sender> senders;
    private final RetrySchedule schedule;
    private final Clock clock;

    Attempts(SubscriptionStore subscriptions, DeliveryStore deliveries, DisablePolicy policy, AttemptLog attemptLog,
             Map<Subscription.Kind, Sender> senders, RetrySchedule schedule, Clock clock) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.policy = policy;
        this.attemptLog = attemptLog;
        this.senders = senders;
        this.schedule = schedule;
        this.clock = clock;
    }

    void attempt(String deliveryId) {
        Delivery started = deliveries.get(deliveryId).orElse(null);
        Instant now = clock.instant();
        if (started == null || !started.dueAt(now)) {
            return;
        }
        Optional<Subscription> found = subscriptions.get(started.subscriptionId());
        if (found.isEmpty() || !found.get().enabled()) {
            String reason = found.isEmpty() ? "the subscription was deleted" : "the subscription is disabled";
            deliveries.update(deliveryId, d -> d.status() == Delivery.Status.PENDING ? d.abandoned(now, reason) : d,
                    DeliveryStore.Write.UNTIL_WRITTEN, "it is given up after the restart instead");
            return;
        }
        Subscription subscription = found.get();
        Delivery.Result result = senders.get(subscription.destination().kind()).send(subscription, started.notice(), now);
        Instant done = clock.instant();
        String ifLost = result.delivered()
                ? "the receiver acknowledged notice " + started.notice().id() + "; the restarted notifier sends it again (same webhook-id)"
                : "the restarted notifier tries it again at once";
        Optional<Delivery> after = deliveries.update(deliveryId, current -> current.afterAttempt(started, result, done, schedule),
                DeliveryStore.Write.UNTIL_WRITTEN, ifLost);
        after.ifPresent(delivery -> attemptLog.log(AttemptLog.of(delivery, subscription)));
        policy.afterAttempt(subscription.id(), result.delivered(), now, done);
    }
}
