package dev.omnistock.notify;

import dev.omnistock.notify.delivery.Delivery;
import dev.omnistock.notify.notices.Notice;
import dev.omnistock.notify.notices.Notices;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

/**
 * Which notifier node delivers what. Every delivery belongs to one input partition: the one its
 * notice's key falls in by Kafka's default partitioner (an order's id for order status notices, which
 * order-status is keyed by; an alert's SKU, which inventory-alerts is keyed by; the notice id on
 * inventory-alerts for the notices the notifier makes itself). So every notice of one order belongs to
 * the same partition, and to the node that holds it. A node delivers a partition's deliveries from
 * when the state written before it got the partition has been read (after the take-over wait) until
 * the partition is revoked; the rule needs nothing recorded, so state written before it is read as is.
 */
final class Ownership {

    private final String alerts;
    private final int alertPartitions;
    private final String orderStatus;
    private final int orderStatusPartitions;
    /** Partitions assigned to this node, each with the assignment it came with. */
    private final Map<TopicPartition, Long> assigned = new ConcurrentHashMap<>();
    /** Assigned partitions whose state is read: their deliveries go. */
    private final Set<TopicPartition> delivering = ConcurrentHashMap.newKeySet();
    private final AtomicLong assignments = new AtomicLong();
    /** Input topics whose partition count is no longer the one the rule was built with: none of theirs is delivered. */
    private final Set<String> recounted = ConcurrentHashMap.newKeySet();

    Ownership(String alerts, int alertPartitions, String orderStatus, int orderStatusPartitions) {
        this.alerts = alerts;
        this.alertPartitions = alertPartitions;
        this.orderStatus = orderStatus;
        this.orderStatusPartitions = orderStatusPartitions;
    }

    /** The input partition a notice's deliveries belong to. */
    TopicPartition partitionOf(Notice notice) {
        if (notice.orderId().isPresent()) {
            return new TopicPartition(orderStatus, partition(notice.orderId().get(), orderStatusPartitions));
        }
        String key = notice.kind().startsWith(Notices.ALERT_PREFIX) && notice.skus().size() == 1
                ? notice.skus().get(0) : notice.id();
        return new TopicPartition(alerts, partition(key, alertPartitions));
    }

    /** Kafka's default partitioner for a keyed record (what the producers of the input use). */
    static int partition(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** Whether this node starts attempts of the delivery now. */
    boolean delivers(Delivery delivery) {
        return delivering.contains(partitionOf(delivery.notice()));
    }

    boolean delivers(TopicPartition partition) {
        return delivering.contains(partition);
    }

    /**
     * The partitions {@code topic} has now. False when that is not the count this rule was built with
     * (partitions were added): notices would belong to other partitions than before, so none of that
     * topic's partitions is delivered, and this node stays waiting, until every notifier is restarted.
     */
    boolean partitionCount(String topic, int partitions) {
        int built = topic.equals(alerts) ? alertPartitions : topic.equals(orderStatus) ? orderStatusPartitions : partitions;
        if (partitions == built) {
            recounted.remove(topic);
            return true;
        }
        recounted.add(topic);
        return false;
    }

    /** Partitions assigned: they wait until {@link #caughtUp} with the returned assignment. */
    long assigned(Collection<TopicPartition> partitions) {
        long assignment = assignments.incrementAndGet();
        partitions.forEach(p -> {
            assigned.put(p, assignment);
            delivering.remove(p);
        });
        return assignment;
    }

    /** Partitions revoked or lost: no attempt of their deliveries starts from now on. */
    void revoked(Collection<TopicPartition> partitions) {
        partitions.forEach(p -> {
            delivering.remove(p);
            assigned.remove(p);
        });
    }

    /** The input reader stopped (fenced by a node of the same instance id, or dead): nothing is delivered. */
    void revokedAll() {
        revoked(Set.copyOf(assigned.keySet()));
    }

    /**
     * The state written before {@code assignment} is read: of its partitions, those still held since it
     * deliver from now on. Returns them (none when a later assignment overtook it).
     */
    Set<TopicPartition> caughtUp(Collection<TopicPartition> partitions, long assignment) {
        Set<TopicPartition> now = new HashSet<>();
        for (TopicPartition p : partitions) {
            if (assigned.getOrDefault(p, -1L) == assignment && !recounted.contains(p.topic())) {
                delivering.add(p);
                now.add(p);
            }
        }
        // Revoked meanwhile: take it back (a revocation between the check and the add above).
        now.removeIf(p -> {
            if (assigned.getOrDefault(p, -1L) != assignment) {
                delivering.remove(p);
                return true;
            }
            return false;
        });
        return now;
    }

    /** Some assigned partition still waits for its take-over. */
    boolean waiting() {
        return !delivering.containsAll(assigned.keySet());
    }
}
