package dev.omnistock.notify;

import dev.omnistock.notify.delivery.Delivery;
import dev.omnistock.notify.delivery.DeliveryStore;
import dev.omnistock.notify.delivery.RetrySchedule;
import dev.omnistock.notify.notices.Notice;
import dev.omnistock.notify.subscriptions.Subscription;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a notice into deliveries: one for each subscription that wants it, once. A notice read again
 * (its input was not committed, or the group's offsets were lost and it starts again from the earliest
 * record) is not turned into deliveries again: only a subscription that existed when it first was and
 * has none for it yet (a crash between two of its writes) gets one.
 *
 * <p>A notice older than the delivery retention is skipped: its deliveries, if it had any, may have
 * been dropped already (a notifier down longer than the retention sweeps them at start, and the broker
 * may have dropped the group's offsets too, so the input is read again from the earliest), and turning
 * it into deliveries again would send it again. A subscription made after a notice occurred gets no
 * delivery of it (one made today is not sent last week's notices read again).
 */
final class Intake {

    private static final Logger log = LoggerFactory.getLogger(Intake.class);

    private final SubscriptionStore subscriptions;
    private final DeliveryStore deliveries;
    private final RetrySchedule schedule;
    private final Clock clock;
    private final Duration retention;
    private final AtomicLong tooOld = new AtomicLong();

    /** @param retention the delivery retention: a notice older than this is skipped */
    Intake(SubscriptionStore subscriptions, DeliveryStore deliveries, RetrySchedule schedule, Clock clock, Duration retention) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.schedule = schedule;
        this.clock = clock;
        this.retention = retention;
    }

    /** How many notices were skipped as older than the retention. */
    long skippedTooOld() {
        return tooOld.get();
    }

    /** The new deliveries a notice makes, not yet written. */
    List<Delivery> deliveriesFor(Notice notice) {
        Instant now = clock.instant();
        if (notice.occurredAt().isBefore(now.minus(retention))) {
            long skipped = tooOld.incrementAndGet();
            if (skipped == 1 || skipped % 1000 == 0) {
                log.warn("Skipped {} notices older than the delivery retention ({}; this one {} of {}): their deliveries may be "
                        + "dropped already, so they could only go again. To have such notices sent after an outage, raise "
                        + "NOTIFY_DELIVERY_RETENTION_MS above the outage before starting the notifier again", skipped, retention,
                        notice.id(), notice.occurredAt());
            }
            return List.of();
        }
        Optional<Instant> before = deliveries.firstDeliveredAt(notice.id());
        List<Delivery> created = new ArrayList<>();
        for (Subscription subscription : subscriptions.all()) {
            if (subscription.wants(notice) && !deliveries.contains(Delivery.idOf(notice.id(), subscription.id()))
                    && !subscription.createdAt().isAfter(notice.occurredAt())
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
