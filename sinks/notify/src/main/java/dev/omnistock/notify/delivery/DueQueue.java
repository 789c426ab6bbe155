package dev.omnistock.notify.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Which delivery is due next, kept as it changes instead of found by scanning every delivery.
 *
 * <p>Deliveries of one order to one subscription form a lane, in the order's sequence: only the
 * first unfinished one of a lane is ever due, so a later notice of an order waits until the earlier
 * one is delivered or given up (a retried {@code accepted} never arrives after {@code shipped}).
 * Deliveries of anything else are lanes of their own.
 *
 * <p>The queue may hold an entry that no longer applies (a delivery changed since): the dispatcher
 * checks what it takes against the delivery as it is.
 */
public final class DueQueue implements DeliveryStore.Listener {

    private record Due(Instant at, String id) {
        static final Comparator<Due> EARLIEST = Comparator.comparing(Due::at).thenComparing(Due::id);
    }

    private record InLane(long sequence, Instant createdAt, String id) {
        static final Comparator<InLane> ORDER = Comparator.comparingLong(InLane::sequence).thenComparing(InLane::createdAt)
                .thenComparing(InLane::id);

        static InLane of(Delivery delivery) {
            return new InLane(delivery.notice().sequence(), delivery.createdAt(), delivery.id());
        }
    }

    /** The longest a wait for the next due time lasts before looking again (the clock may be moved, in tests). */
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(1);

    private final Clock clock;
    private final Function<String, Optional<Delivery>> current;
    private final PriorityQueue<Due> queue = new PriorityQueue<>(Due.EARLIEST);
    private final Map<String, TreeSet<InLane>> lanes = new HashMap<>();
    private final Map<String, String> laneOf = new HashMap<>();

    /** @param current the delivery as it is now, by id */
    public DueQueue(Clock clock, Function<String, Optional<Delivery>> current) {
        this.clock = clock;
        this.current = current;
    }

    /** The lane of a delivery: its subscription and its order; null when it waits for nothing. */
    static String laneOf(Delivery delivery) {
        return delivery.notice().orderId().map(order -> delivery.subscriptionId() + "|order|" + order).orElse(null);
    }

    @Override
    public synchronized void changed(Delivery before, Delivery after) {
        if (before != null && before.status() == Delivery.Status.PENDING && (after == null || after.status() != Delivery.Status.PENDING)) {
            leave(before);
        }
        if (after != null && after.status() == Delivery.Status.PENDING) {
            join(after);
            offer(after);
        }
        notifyAll();
    }

    /** Puts a pending delivery back in line (after an attempt of it ended, say); nothing for one that is not pending. */
    public synchronized void offer(Delivery delivery) {
        if (delivery.status() == Delivery.Status.PENDING && isFirstInLane(delivery.id())) {
            queue.add(new Due(delivery.nextAttemptAt(), delivery.id()));
            notifyAll();
        }
    }

    /** Whether nothing of its lane comes before it. */
    public synchronized boolean isFirstInLane(String deliveryId) {
        String lane = laneOf.get(deliveryId);
        return lane == null || lanes.get(lane).first().id().equals(deliveryId);
    }

    /** Waits until a delivery is due, and gives its id. */
    public synchronized String take() throws InterruptedException {
        while (true) {
            Due first = queue.peek();
            if (first == null) {
                wait(LONGEST_WAIT.toMillis());
                continue;
            }
            Instant now = clock.instant();
            if (!first.at().isAfter(now)) {
                return queue.poll().id();
            }
            // Rounded up: woken a fraction of a millisecond early, it would find nothing due yet.
            long waitMillis = Duration.between(now, first.at()).plusNanos(999_999).toMillis();
            wait(Math.max(1, Math.min(waitMillis, LONGEST_WAIT.toMillis())));
        }
    }

    /** Entries waiting, stale ones included. */
    public synchronized int size() {
        return queue.size();
    }

    private void join(Delivery delivery) {
        String lane = laneOf(delivery);
        if (lane != null && laneOf.putIfAbsent(delivery.id(), lane) == null) {
            lanes.computeIfAbsent(lane, k -> new TreeSet<>(InLane.ORDER)).add(InLane.of(delivery));
        }
    }

    private void leave(Delivery delivery) {
        String lane = laneOf.remove(delivery.id());
        if (lane == null) {
            return;
        }
        TreeSet<InLane> waiting = lanes.get(lane);
        waiting.removeIf(in -> in.id().equals(delivery.id()));
        if (waiting.isEmpty()) {
            lanes.remove(lane);
        } else {
            // The next of the lane may go now.
            current.apply(waiting.first().id()).ifPresent(next -> queue.add(new Due(next.nextAttemptAt(), next.id())));
        }
    }
}
