package dev.omnistock.notify;

import dev.omnistock.notify.persist.StateFormat;
import dev.omnistock.notify.persist.StateWrites;
import dev.omnistock.notify.subscriptions.Subscription;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The subscriptions, in memory and on the compacted notify-subscriptions topic. Every change is
 * written before it is kept, and changes are made one at a time, each to the subscription as it is
 * then: a worker that took a copy before its HTTP call changes the current one, so a subscription
 * deleted meanwhile stays deleted and a secret rotated meanwhile stays rotated.
 *
 * <p>Every notifier node follows the topic ({@link #followed}): what another node's API or workers
 * wrote is kept once read. Each subscription remembers the offset of the record it is: a record read
 * back that is older (this node's own write coming round) changes nothing.
 */
final class SubscriptionStore {

    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    /** The offset of the latest record of each subscription (or its tombstone, until that is read back). */
    private final Map<String, Long> offsets = new ConcurrentHashMap<>();
    private final StateWrites writes;
    private final String topic;
    private final StateFormat format;

    SubscriptionStore(StateWrites writes, String topic, StateFormat format) {
        this.writes = writes;
        this.topic = topic;
        this.format = format;
    }

    /** A record of the topic at {@code offset}, read back (null: deleted); kept unless a later record of it is known. */
    synchronized void followed(String id, Subscription subscription, long offset) {
        long known = offsets.getOrDefault(id, -1L);
        if (subscription == null) {
            if (offset >= known) {
                subscriptions.remove(id);
                offsets.remove(id); // nothing older than the tombstone comes after it
            }
        } else if (offset > known) {
            subscriptions.put(id, subscription);
            offsets.put(id, offset);
        }
    }

    Collection<Subscription> all() {
        return List.copyOf(subscriptions.values());
    }

    Optional<Subscription> get(String id) {
        return Optional.ofNullable(subscriptions.get(id));
    }

    int size() {
        return subscriptions.size();
    }

    /** Creates or replaces it (the API's operations). */
    synchronized Subscription put(Subscription subscription) {
        offsets.put(subscription.id(), writes.once(topic, subscription.id(), format.write(subscription)));
        subscriptions.put(subscription.id(), subscription);
        return subscription;
    }

    synchronized boolean delete(String id) {
        if (!subscriptions.containsKey(id)) {
            return false;
        }
        offsets.put(id, writes.once(topic, id, null));
        subscriptions.remove(id);
        return true;
    }

    /**
     * Applies {@code change} to the subscription as it is now, writes the result and keeps it; nothing
     * when the subscription is gone (empty) or the change changes nothing.
     */
    synchronized Optional<Subscription> update(String id, UnaryOperator<Subscription> change) {
        Subscription current = subscriptions.get(id);
        if (current == null) {
            return Optional.empty();
        }
        Subscription next = change.apply(current);
        if (next == null || next.equals(current)) {
            return Optional.of(current);
        }
        offsets.put(id, writes.once(topic, id, format.write(next)));
        subscriptions.put(id, next);
        return Optional.of(next);
    }
}
