package dev.omnistock.notify;

import dev.omnistock.notify.delivery.Delivery;
import dev.omnistock.notify.delivery.DeliveryStore;
import dev.omnistock.notify.notices.Notice;
import dev.omnistock.notify.notices.Notices;
import dev.omnistock.notify.subscriptions.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscription's health after each attempt: a success clears its failing-since; a failure sets it,
 * and one failing longer than allowed is disabled, its pending deliveries given up, and whoever
 * subscribed to {@code notify.subscription.disabled} told. Every change is made to the subscription as
 * it is then: a rotated secret stays rotated; one deleted through another node, even should this node write
 * its health after the deletion, stays deleted ({@link SubscriptionStore}).
 */
final class DisablePolicy {

    private static final Logger log = LoggerFactory.getLogger(DisablePolicy.class);

    private final SubscriptionStore subscriptions;
    private final DeliveryStore deliveries;
    private final Intake intake;
    private final Duration disableAfter;
    private final Predicate<Delivery> mine;

    /** @param mine whether this node delivers a delivery: it gives up its own; the others' nodes give theirs up at their next attempt */
    DisablePolicy(SubscriptionStore subscriptions, DeliveryStore deliveries, Intake intake, Duration disableAfter, Predicate<Delivery> mine) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.intake = intake;
        this.disableAfter = disableAfter;
        this.mine = mine;
    }

    /** @param startedAt when the attempt began: a first failure dates from it */
    void afterAttempt(String subscriptionId, boolean delivered, Instant startedAt, Instant now) {
        if (delivered) {
            subscriptions.update(subscriptionId, Subscription::working);
            return;
        }
        Optional<Subscription> failing = subscriptions.update(subscriptionId, s -> s.failing(startedAt));
        if (failing.isPresent() && failing.get().enabled() && failing.get().failingSince() != null
                && Duration.between(failing.get().failingSince(), now).compareTo(disableAfter) >= 0) {
            disable(subscriptionId, now);
        }
    }

    private void disable(String subscriptionId, Instant now) {
        AtomicBoolean disabledNow = new AtomicBoolean();
        AtomicReference<Instant> failingSince = new AtomicReference<>();
        Optional<Subscription> disabled = subscriptions.update(subscriptionId, s -> {
            if (!s.enabled() || s.failingSince() == null || Duration.between(s.failingSince(), now).compareTo(disableAfter) < 0) {
                return s; // enabled again, working again, or disabled by another worker meanwhile
            }
            disabledNow.set(true);
            failingSince.set(s.failingSince());
            return s.disabled(now, "its endpoint failed every attempt for " + disableAfter + " (since " + s.failingSince() + ")");
        });
        if (!disabledNow.get() || disabled.isEmpty()) {
            return;
        }
        Subscription subscription = disabled.get();
        log.warn("Disabled subscription {} ({} {}): {}. Enable it through the API once the endpoint works.", subscription.id(),
                subscription.destination().kind(), subscription.maskedTarget(), subscription.disabledReason());
        for (Delivery pending : deliveries.pendingOf(subscriptionId).stream().filter(mine).toList()) {
            deliveries.update(pending.id(), d -> d.status() == Delivery.Status.PENDING ? d.abandoned(now, "the subscription was disabled") : d,
                    DeliveryStore.Write.UNTIL_WRITTEN, "delivery " + pending.id() + " stays pending after a restart, and is given up then");
        }
        // One id per disable episode, not per node: two nodes disabling it at once make the same delivery, sent once.
        intake.take(new Notice(disabledNoticeId(subscription.id(), failingSince.get()), Notices.SUBSCRIPTION_DISABLED, now,
                List.of(), List.of(), null, "Notifications to " + subscription.maskedTarget() + " were disabled: " + subscription.disabledReason(),
                Map.of("subscriptionId", subscription.id(), "destination", subscription.maskedTarget(), "reason", subscription.disabledReason(),
                        "disabledAt", now.toString())));
    }

    /** The id of the notice that a subscription failing since {@code failingSince} was disabled. */
    static String disabledNoticeId(String subscriptionId, Instant failingSince) {
        return "disabled|" + subscriptionId + "|" + failingSince.toEpochMilli();
    }
}
