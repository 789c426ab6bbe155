package dev.omnistock.notify.send;

import dev.omnistock.notify.delivery.Delivery;
import dev.omnistock.notify.notices.Notice;
import dev.omnistock.notify.subscriptions.Subscription;
import java.time.Instant;

/** Delivers one notice to one destination, once; retries are the caller's. */
public interface Sender {

    /** Never throws for the destination's failures: they are a result, so that they are retried and logged. */
    Delivery.Result send(Subscription subscription, Notice notice, Instant now);
}
