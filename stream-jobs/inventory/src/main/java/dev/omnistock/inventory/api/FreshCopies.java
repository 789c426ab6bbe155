package dev.omnistock.inventory.api;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which of this instance's copies of a store may be read as fresh, without the stale flag: the copy of an active task
 * that its stream thread ran at its last RUNNING, and that has been neither revoked, lost nor restored since. Kafka
 * Streams serves plain queries only while the thread is RUNNING, so during every rebalance it refused also the copies
 * this instance goes on running; this tells those apart from a standby's copy or an active one still restoring, which
 * are never fresh.
 *
 * <p>A thread's view ({@link ThreadTasks}) is the one Kafka Streams keeps: renewed each time the thread becomes
 * RUNNING, unchanged in between. Every change to a thread's tasks in between starts with a callback on that thread
 * (revoked, lost) before Kafka Streams acts on it, or with a restore: those withdraw tasks from the view they were
 * made against, and a newer view (the thread RUNNING again) has them right by itself.
 */
final class FreshCopies {

    /** A task: its subtopology (the part of the topology a store belongs to) and its partition. */
    record Task(int subtopology, int partition) {
    }

    /** An input partition of a task. */
    record Input(String topic, int partition) {
    }

    /**
     * A stream thread as of its last RUNNING: {@code view} stands for that moment (compared by identity: a new one at
     * each RUNNING), with the active tasks it ran then, each with its input partitions.
     */
    record ThreadTasks(String thread, Object view, Map<Task, Set<Input>> active) {
    }

    private record StorePartition(String store, int partition) {
    }

    /** Tasks withdrawn from one view of a thread. */
    private static final class Withdrawn {
        final Object view;
        final Set<Task> tasks = new HashSet<>();
        boolean all;

        Withdrawn(Object view) {
            this.view = view;
        }
    }

    private final Map<String, Integer> subtopologyOfStore;
    private final Map<String, Withdrawn> withdrawn = new HashMap<>();
    private final Set<StorePartition> restoring = new HashSet<>();
    private long changes;

    /** @param subtopologyOfStore each queried store's subtopology */
    FreshCopies(Map<String, Integer> subtopologyOfStore) {
        this.subtopologyOfStore = Map.copyOf(subtopologyOfStore);
    }

    /** The thread's partitions are being revoked: the tasks reading any of them stop being fresh now, before they are suspended. */
    synchronized void revoked(ThreadTasks current, Collection<Input> partitions) {
        Withdrawn from = withdrawnFrom(current);
        current.active().forEach((task, inputs) -> {
            if (!Collections.disjoint(inputs, partitions)) {
                from.tasks.add(task);
            }
        });
        changes++;
    }

    /** The thread lost its partitions (it missed a rebalance): none of its tasks is fresh. */
    synchronized void lost(ThreadTasks current) {
        withdrawnFrom(current).all = true;
        changes++;
    }

    /** A store's changelog began restoring into an active task: not fresh until the restore ends. */
    synchronized void restoreStarted(String store, int partition) {
        restoring.add(new StorePartition(store, partition));
        changes++;
    }

    /** The restore ended: restored to the changelog's end. */
    synchronized void restoreEnded(String store, int partition) {
        restoring.remove(new StorePartition(store, partition));
        changes++;
    }

    /**
     * A restore stopped before its end (the task is being closed: it moved, or its state was found corrupt): the copy is
     * only partly restored, so its task is not fresh again until its thread is RUNNING again.
     */
    synchronized void restoreSuspended(String store, int partition, Collection<ThreadTasks> threads) {
        restoring.remove(new StorePartition(store, partition));
        Integer subtopology = subtopologyOfStore.get(store);
        if (subtopology != null) {
            Task task = new Task(subtopology, partition);
            threads.stream().filter(thread -> thread.active().containsKey(task)).forEach(thread -> withdrawnFrom(thread).tasks.add(task));
        }
        changes++;
    }

    /** Whether a store's partition is restoring into an active task here. */
    synchronized boolean restoring(String store, int partition) {
        return restoring.contains(new StorePartition(store, partition));
    }

    /** Counts every withdrawal: a read of a copy counts as fresh only if this did not move while it read. */
    synchronized long changes() {
        return changes;
    }

    /**
     * May the copy of {@code store}'s partition on this instance be read as fresh?
     *
     * @param threads each stream thread's current view
     */
    synchronized boolean fresh(String store, int partition, Collection<ThreadTasks> threads) {
        Integer subtopology = subtopologyOfStore.get(store);
        if (subtopology == null || restoring.contains(new StorePartition(store, partition))) {
            return false;
        }
        Task task = new Task(subtopology, partition);
        // A task moved from one thread to another is withdrawn from the first one's view.
        return threads.stream().anyMatch(thread -> thread.active().containsKey(task) && !withdrawnFrom(thread, task));
    }

    private boolean withdrawnFrom(ThreadTasks thread, Task task) {
        Withdrawn from = withdrawn.get(thread.thread());
        return from != null && from.view == thread.view() && (from.all || from.tasks.contains(task));
    }

    /** What is withdrawn from this view of the thread; withdrawals from an earlier view no longer count. */
    private Withdrawn withdrawnFrom(ThreadTasks current) {
        Withdrawn from = withdrawn.get(current.thread());
        if (from == null || from.view != current.view()) {
            from = new Withdrawn(current.view());
            withdrawn.put(current.thread(), from);
        }
        return from;
    }
}
