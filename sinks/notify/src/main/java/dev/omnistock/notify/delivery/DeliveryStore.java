package dev.omnistock.notify.delivery;

import dev.omnistock.notify.persist.StateFormat;
import dev.omnistock.notify.persist.StateWriteFailed;
import dev.omnistock.notify.persist.StateWrites;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The deliveries, in memory and on the compacted notify-deliveries topic. A delivery changes under its
 * own lock, one change at a time, each applied to the delivery as it is then and written before it is
 * kept; a listener (the due queue) hears of every change.
 *
 * <p>Every notifier node follows the topic ({@link #followed}), so each knows every delivery, whichever
 * node delivers it. Each delivery remembers the offset of the record it is: a record read back that is
 * older (this node's own write coming round) changes nothing, a later one (another node's) replaces it.
 */
public final class DeliveryStore {

    /** How a change's write is made: once (an API request: it fails when the write fails) or until it succeeds. */
    public enum Write { ONCE, UNTIL_WRITTEN }

    /** Hears of every change of a delivery: {@code before} null for a new one, {@code after} null for one dropped. */
    public interface Listener {
        void changed(Delivery before, Delivery after);
    }

    /** A delivery is busy with another change longer than an API request waits. */
    public static final class Busy extends RuntimeException {
        Busy(String message) {
            super(message);
        }
    }

    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        volatile Delivery current;
        /** The offset of the record it is; changed under the lock. */
        long offset;

        Entry(Delivery current, long offset) {
            this.current = current;
            this.offset = offset;
        }
    }

    /** Newest first, then by id: the delivery log's order. */
    private record Listed(Instant createdAt, String id) {
        static final Comparator<Listed> NEWEST_FIRST = Comparator.comparing(Listed::createdAt).reversed().thenComparing(Listed::id);
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    /** Deliveries this node dropped, by their tombstone's offset, until the tombstone is read back. */
    private final Map<String, Long> dropped = new ConcurrentHashMap<>();
    /** Notice id to its deliveries' ids: whether a notice was turned into deliveries already. */
    private final Map<String, Set<String>> byNotice = new ConcurrentHashMap<>();
    private final Map<String, Set<Listed>> bySubscription = new ConcurrentHashMap<>();
    private final Set<Listed> newestFirst = new ConcurrentSkipListSet<>(Listed.NEWEST_FIRST);
    /** Finished deliveries by when they finished: the oldest are dropped first once the retention passed. */
    private final PriorityQueue<Listed> finishedOldestFirst = new PriorityQueue<>(Comparator.comparing(Listed::createdAt));
    private final StateWrites writes;
    private final String topic;
    private final Duration apiWait;
    private final StateFormat format;
    private volatile Listener listener = (before, after) -> { };

    /** @param apiWait how long a change made {@link Write#ONCE} waits for another change of the same delivery */
    public DeliveryStore(StateWrites writes, String topic, Duration apiWait, StateFormat format) {
        this.writes = writes;
        this.topic = topic;
        this.apiWait = apiWait;
        this.format = format;
    }

    public void listen(Listener listener) {
        this.listener = listener;
    }

    /**
     * A record of the topic at {@code offset}, read back (null: dropped): kept, and told to the listener,
     * unless this delivery's record known is as late or later (this node wrote it, or read it already), and
     * unless it is a creation record (no attempts) of a delivery known attempted or finished: that never undoes one.
     */
    public void followed(String id, Delivery delivery, long offset) {
        while (true) {
            Entry entry = entries.get(id);
            if (entry == null) {
                Long tombstone = dropped.get(id);
                if (tombstone != null && offset >= tombstone) {
                    dropped.remove(id, tombstone); // nothing older than the tombstone comes after it
                }
                if (delivery == null || tombstone != null && offset <= tombstone || add(delivery, offset)) {
                    return;
                }
                continue; // added meanwhile: apply it to that one
            }
            entry.lock.lock();
            try {
                if (entries.get(id) != entry) {
                    continue; // dropped meanwhile
                }
                if (offset <= entry.offset) {
                    return;
                }
                Delivery before = entry.current;
                if (delivery != null && delivery.attempts().isEmpty() && (before.finished() || !before.attempts().isEmpty())) {
                    // A creation record landing after the delivery was attempted or finished (a write its writer gave up on,
                    // or two nodes creating it): taking it would make it pending again, its notice sent twice.
                    entry.offset = offset;
                    return;
                }
                entry.offset = offset;
                if (delivery == null) {
                    entries.remove(id);
                    unindex(before);
                    listener.changed(before, null);
                } else if (!delivery.equals(before)) {
                    entry.current = delivery;
                    finishedNow(delivery);
                    listener.changed(before, delivery);
                }
                return;
            } finally {
                entry.lock.unlock();
            }
        }
    }

    public List<Delivery> all() {
        return entries.values().stream().map(e -> e.current).toList();
    }

    public Optional<Delivery> get(String id) {
        Entry entry = entries.get(id);
        return entry == null ? Optional.empty() : Optional.ofNullable(entry.current);
    }

    public boolean contains(String id) {
        return entries.containsKey(id);
    }

    public int size() {
        return entries.size();
    }

    /** When the notice was first turned into deliveries; empty if it never was (or those were dropped). */
    public Optional<Instant> firstDeliveredAt(String noticeId) {
        Set<String> ids = byNotice.get(noticeId);
        if (ids == null) {
            return Optional.empty();
        }
        return ids.stream().map(this::get).flatMap(Optional::stream).map(Delivery::createdAt).min(Comparator.naturalOrder());
    }

    /** Sends a new delivery's first record (the future gives its offset); keep it with {@link #added} once that is written. */
    public CompletableFuture<Long> writeNew(Delivery delivery) {
        return writes.send(topic, delivery.id(), format.write(delivery));
    }

    /** Writes a new delivery until it is written, and keeps it. */
    public void addDurably(Delivery delivery, String ifLost) {
        added(delivery, writes.untilWritten(topic, delivery.id(), format.write(delivery), ifLost));
    }

    /** Keeps a new delivery whose record is written at {@code offset}; one known already stays as it is. */
    public void added(Delivery delivery, long offset) {
        add(delivery, offset);
    }

    /** False when one of that id is known already. */
    private boolean add(Delivery delivery, long offset) {
        Entry entry = new Entry(delivery, offset);
        entry.lock.lock();
        try {
            if (entries.putIfAbsent(delivery.id(), entry) != null) {
                return false;
            }
            index(delivery);
            finishedNow(delivery);
            listener.changed(null, delivery);
            return true;
        } finally {
            entry.lock.unlock();
        }
    }

    /**
     * Applies {@code change} to the delivery as it is now, under its lock: the result is written, then
     * kept, then told to the listener. Empty when the delivery is unknown; a change that changes nothing
     * writes nothing.
     *
     * @throws StateWriteFailed when the write fails ({@link Write#ONCE}) or the notifier stops while retrying it
     * @throws Busy             ({@link Write#ONCE} only) when another change holds the delivery too long
     */
    public Optional<Delivery> update(String id, UnaryOperator<Delivery> change, Write write, String ifLost) {
        Entry entry = entries.get(id);
        if (entry == null) {
            return Optional.empty();
        }
        lock(entry, id, write);
        try {
            Delivery current = entry.current;
            if (entries.get(id) != entry) {
                return Optional.empty(); // dropped meanwhile
            }
            Delivery next = change.apply(current);
            if (next == current) {
                return Optional.of(current);
            }
            byte[] value = format.write(next);
            long offset = write == Write.ONCE ? writes.once(topic, id, value) : writes.untilWritten(topic, id, value, ifLost);
            entry.offset = Math.max(entry.offset, offset);
            entry.current = next;
            finishedNow(next);
            listener.changed(current, next);
            return Optional.of(next);
        } finally {
            entry.lock.unlock();
        }
    }

    private void lock(Entry entry, String id, Write write) {
        if (write == Write.UNTIL_WRITTEN) {
            entry.lock.lock();
            return;
        }
        try {
            if (!entry.lock.tryLock(apiWait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new Busy("Delivery " + id + " is being changed (its state cannot be written now?); try again later");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Busy("Interrupted while waiting for delivery " + id);
        }
    }

    private void finishedNow(Delivery delivery) {
        if (delivery.finished()) {
            synchronized (finishedOldestFirst) {
                finishedOldestFirst.add(new Listed(delivery.finishedAt(), delivery.id()));
            }
        }
    }

    /**
     * Drops the deliveries finished (delivered or given up) longer than {@code retention} ago that this
     * node delivers ({@code mine}; the others' nodes drop theirs, and this one reads their tombstones): a
     * tombstone on the compacted topic, then out of memory and the delivery log. One sent again by hand
     * meanwhile stays. A tombstone that cannot be written is tried again at the next sweep.
     *
     * @return how many were dropped
     */
    public int expire(Instant now, Duration retention, Predicate<Delivery> mine) {
        Instant before = now.minus(retention);
        int count = 0;
        List<Listed> others = new ArrayList<>();
        try {
            while (true) {
                Listed oldest;
                synchronized (finishedOldestFirst) {
                    oldest = finishedOldestFirst.peek();
                    if (oldest == null || oldest.createdAt().isAfter(before)) {
                        return count;
                    }
                    finishedOldestFirst.poll();
                }
                Entry entry = entries.get(oldest.id());
                if (entry == null) {
                    continue;
                }
                entry.lock.lock();
                try {
                    Delivery current = entry.current;
                    if (entries.get(oldest.id()) != entry || !current.finished() || current.finishedAt().isAfter(before)) {
                        continue; // sent again by hand (it is queued again once it finishes), or finished again later
                    }
                    if (!mine.test(current)) {
                        others.add(oldest); // its node drops it; should this node take its partition over first, it does
                        continue;
                    }
                    long offset;
                    try {
                        offset = writes.once(topic, current.id(), null);
                    } catch (StateWriteFailed e) {
                        others.add(oldest);
                        throw e;
                    }
                    dropped.put(current.id(), offset);
                    entries.remove(current.id());
                    unindex(current);
                    listener.changed(current, null);
                    count++;
                } finally {
                    entry.lock.unlock();
                }
            }
        } finally {
            synchronized (finishedOldestFirst) {
                finishedOldestFirst.addAll(others);
            }
        }
    }

    /** The pending deliveries of a subscription. */
    public List<Delivery> pendingOf(String subscriptionId) {
        List<Delivery> pending = new ArrayList<>();
        for (Listed listed : bySubscription.getOrDefault(subscriptionId, Set.of())) {
            get(listed.id()).filter(d -> d.status() == Delivery.Status.PENDING).ifPresent(pending::add);
        }
        return pending;
    }

    /**
     * The delivery log, newest first: at most {@code limit}, walking the kept order (never sorting all of
     * it) and stopping once it has enough.
     */
    public List<Delivery> list(Optional<String> subscriptionId, Optional<Delivery.Status> status, int limit) {
        Set<Listed> order = subscriptionId.map(id -> bySubscription.getOrDefault(id, Set.of())).orElse(newestFirst);
        List<Delivery> found = new ArrayList<>(Math.min(limit, 128));
        for (Listed listed : order) {
            Optional<Delivery> delivery = get(listed.id());
            if (delivery.isPresent() && status.map(s -> delivery.get().status() == s).orElse(true)) {
                found.add(delivery.get());
                if (found.size() == limit) {
                    break;
                }
            }
        }
        return found;
    }

    private void index(Delivery delivery) {
        Listed listed = new Listed(delivery.createdAt(), delivery.id());
        newestFirst.add(listed);
        bySubscription.computeIfAbsent(delivery.subscriptionId(), k -> new ConcurrentSkipListSet<>(Listed.NEWEST_FIRST)).add(listed);
        byNotice.computeIfAbsent(delivery.notice().id(), k -> ConcurrentHashMap.newKeySet()).add(delivery.id());
    }

    private void unindex(Delivery delivery) {
        Listed listed = new Listed(delivery.createdAt(), delivery.id());
        newestFirst.remove(listed);
        bySubscription.computeIfPresent(delivery.subscriptionId(), (k, set) -> {
            set.remove(listed);
            return set.isEmpty() ? null : set;
        });
        byNotice.computeIfPresent(delivery.notice().id(), (k, set) -> {
            set.remove(delivery.id());
            return set.isEmpty() ? null : set;
        });
    }
}
