package dev.omnistock.notify;

import dev.omnistock.notify.delivery.Delivery;
import dev.omnistock.notify.delivery.DeliveryStore;
import dev.omnistock.notify.delivery.RetrySchedule;
import dev.omnistock.notify.notices.Notice;
import dev.omnistock.notify.subscriptions.Subscription;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a notice into deliveries: one for each subscription that wants it, once. A notice read again
 * (its input was not committed, or the group's offsets were lost and it starts again from the earliest
 * record) is not turned into deliveries again: only a subscription that existed when it first was and
 * has none for it yet (a crash between two of its writes) gets one.
 */
final class Intake {

    private final SubscriptionStore subscriptions;
    private final DeliveryStore deliveries;
    private final RetrySchedule schedule;
    private final Clock clock;

    Intake(SubscriptionStore subscriptions, DeliveryStore deliveries, RetrySchedule schedule, Clock clock) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.schedule = schedule;
        this.clock = clock;
    }

    /** The new deliveries a notice makes, not yet written. */
    List<Delivery> deliveriesFor(Notice notice) {
        Instant now = clock.instant();
        Optional<Instant> before = deliveries.firstDeliveredAt(notice.id());
        List<Delivery> created = new ArrayList<>();
        for (Subscription subscription : subscriptions.all()) {
            if (subscription.wants(notice) && !deliveries.contains(Delivery.idOf(notice.id(), subscription.id()))
                    && before.map(first -> !subscription.createdAt().isAfter(first)).orElse(true)) {
                created.add(Delivery.of(notice, subscription.id(), now, schedule));
            }
        }
        return created;
    }

    /** For a notice the notifier makes itself: its deliveries written (retrying until they are) and kept. */
    void take(Notice notice) {
        for (Delivery delivery : deliveriesFor(notice)) {
            deliveries.addDurably(delivery, "notice " + notice.id() + " is not sent to subscription " + delivery.subscriptionId());
        }
    }
}
