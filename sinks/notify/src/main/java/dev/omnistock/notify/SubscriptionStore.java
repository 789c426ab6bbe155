package dev.omnistock.notify;

import dev.omnistock.notify.persist.StateFormat;
import dev.omnistock.notify.persist.StateWrites;
import dev.omnistock.notify.subscriptions.Subscription;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscriptions, in memory and on the compacted notify-subscriptions topic. Every change is
 * written before it is kept, and changes are made one at a time, each to the subscription as it is
 * then: a worker that took a copy before its HTTP call changes the current one, so a secret rotated
 * meanwhile stays rotated, and a subscription this node deleted meanwhile is not written again.
 *
 * <p>Every notifier node follows the topic ({@link #followed}): what another node's API or workers
 * wrote is kept once read. Each subscription remembers the offset of the record it is: a record read
 * back that is older (this node's own write coming round) changes nothing.
 *
 * <p>A deletion always wins. Subscription ids are made by the service (random), so a deleted id never
 * comes back legitimately; yet a node whose worker had not read another node's tombstone yet may write
 * the subscription's health (failing since, disabled) after it. So a tombstone read removes the
 * subscription whatever was written before or after it, the id is remembered, no later record of it is
 * kept, and a node that holds or reads a record written after the tombstone writes the tombstone again,
 * so that compaction keeps the deletion. Until one does, compaction would keep the late record and drop
 * the tombstone it supersedes (delete.retention.ms guards only a key's latest record): the topic's
 * min.compaction.lag.ms ({@code Topics.NOTIFY_SUBSCRIPTIONS_COMPACTION_LAG}, 7 days) keeps the
 * tombstone at least that long after it was written (by the writing node's clock). What remains:
 * should every node stop after such a late write and before any reads it, and none start again until
 * that lag has passed and the log cleaner has run, the subscription comes back; delete it again
 * through the API. A topic created before the setting keeps its configs: alter it (README).
 */
final class SubscriptionStore {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionStore.class);

    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    /** The offset of the latest record of each subscription. */
    private final Map<String, Long> offsets = new ConcurrentHashMap<>();
    /** Deleted subscriptions, by the offset of their tombstone: no later record of them is kept. */
    private final Map<String, Long> deleted = new ConcurrentHashMap<>();
    /** Writes tombstones again, off the follower's thread. */
    private final ExecutorService retombstone = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "notify-subscription-tombstones");
        thread.setDaemon(true);
        return thread;
    });
    private final StateWrites writes;
    private final String topic;
    private final StateFormat format;

    SubscriptionStore(StateWrites writes, String topic, StateFormat format) {
        this.writes = writes;
        this.topic = topic;
        this.format = format;
    }

    /**
     * A record of the topic at {@code offset}, read back (null: deleted). A tombstone deletes it for good; another
     * record is kept unless a later record of it, or its tombstone, is known.
     */
    synchronized void followed(String id, Subscription subscription, long offset) {
        long known = offsets.getOrDefault(id, -1L);
        Long tombstone = deleted.get(id);
        if (subscription == null) {
            subscriptions.remove(id);
            offsets.remove(id);
            deleted.merge(id, offset, Math::max);
            if (known > offset) {
                writeTombstoneAgain(id, "this node wrote it (or read it) after its deletion");
            }
        } else if (tombstone != null) {
            if (offset > tombstone) {
                writeTombstoneAgain(id, "a record of it was written after its deletion, at offset " + offset);
            }
        } else if (offset > known) {
            subscriptions.put(id, subscription);
            offsets.put(id, offset);
        }
    }

    /** Writes a deleted subscription's tombstone again, so that compaction keeps the deletion, not the record after it. */
    private void writeTombstoneAgain(String id, String why) {
        log.warn("Subscription {} was deleted, but {}: deleting it again", id, why);
        retombstone.execute(() -> {
            try {
                long offset = writes.untilWritten(topic, id, null, "subscription " + id + " may come back when the notifier "
                        + "starts again; delete it again through the API then");
                deleted.merge(id, offset, Math::max);
            } catch (RuntimeException e) {
                log.error("Could not delete subscription {} again ({}): it may come back when the notifier starts again; "
                        + "delete it again through the API then", id, e.getMessage());
            }
        });
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
        deleted.put(id, writes.once(topic, id, null));
        offsets.remove(id);
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
