package dev.omnistock.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnistock.notify.delivery.Delivery;
import dev.omnistock.notify.delivery.RetrySchedule;
import dev.omnistock.notify.notices.Notice;
import dev.omnistock.notify.notices.Notices;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OwnershipTest {

    private static final TopicPartition ALERTS_0 = new TopicPartition("inventory-alerts", 0);
    private static final TopicPartition ORDERS_1 = new TopicPartition("order-status", 1);

    private final Ownership ownership = new Ownership("inventory-alerts", 3, "order-status", 4);

    private static Delivery delivery(Notice notice) {
        return Delivery.of(notice, "sub-1", Instant.now(), RetrySchedule.parse("0s"));
    }

    @Test
    void aNoticeBelongsToThePartitionItsKeyIsProducedTo() {
        for (int i = 0; i < 200; i++) {
            String orderId = "ORD-" + i;
            String sku = "SKU-" + i;
            assertThat(ownership.partitionOf(Parts.order(orderId, 1, "accepted")))
                    .isEqualTo(new TopicPartition("order-status", BuiltInPartitioner.partitionForKey(bytes(orderId), 4)));
            assertThat(ownership.partitionOf(Parts.alert("alert-" + i, sku)))
                    .isEqualTo(new TopicPartition("inventory-alerts", BuiltInPartitioner.partitionForKey(bytes(sku), 3)));
        }
    }

    @Test
    void everyNoticeOfAnOrderBelongsToOnePartition() {
        Set<TopicPartition> partitions = new java.util.HashSet<>();
        IntStream.rangeClosed(1, 20).forEach(sequence -> partitions.add(ownership.partitionOf(Parts.order("ORD-7", sequence, "shipped"))));
        assertThat(partitions).hasSize(1);
    }

    @Test
    void aNoticeTheNotifierMakesBelongsToAnAlertsPartitionByItsId() {
        Notice disabled = new Notice("disabled|sub-1|1", Notices.SUBSCRIPTION_DISABLED, Instant.now(), List.of(), List.of(), null, "off",
                Map.of("subscriptionId", "sub-1"));
        assertThat(ownership.partitionOf(disabled))
                .isEqualTo(new TopicPartition("inventory-alerts", BuiltInPartitioner.partitionForKey(bytes(disabled.id()), 3)));
    }

    @Test
    void anAssignedPartitionIsDeliveredOnlyOnceItsTakeOverIsOver() {
        Delivery ofPartition = deliveryIn(ALERTS_0);
        long assignment = ownership.assigned(List.of(ALERTS_0, ORDERS_1));
        assertThat(ownership.delivers(ofPartition)).isFalse();
        assertThat(ownership.waiting()).isTrue();

        assertThat(ownership.caughtUp(List.of(ALERTS_0, ORDERS_1), assignment)).containsExactlyInAnyOrder(ALERTS_0, ORDERS_1);
        assertThat(ownership.delivers(ofPartition)).isTrue();
        assertThat(ownership.waiting()).isFalse();
    }

    @Test
    void aRevokedPartitionStopsAtOnceAndAnOvertakenTakeOverDeliversNothing() {
        Delivery ofPartition = deliveryIn(ALERTS_0);
        long first = ownership.assigned(List.of(ALERTS_0));
        ownership.caughtUp(List.of(ALERTS_0), first);
        ownership.revoked(List.of(ALERTS_0));
        assertThat(ownership.delivers(ofPartition)).as("revoked: its attempts stop").isFalse();

        long second = ownership.assigned(List.of(ALERTS_0));
        ownership.revoked(List.of(ALERTS_0));
        long third = ownership.assigned(List.of(ALERTS_0));
        // The second assignment's take-over ends after the partition went and came back: only the third's counts.
        assertThat(ownership.caughtUp(List.of(ALERTS_0), second)).isEmpty();
        assertThat(ownership.delivers(ofPartition)).isFalse();
        assertThat(ownership.caughtUp(List.of(ALERTS_0), third)).containsExactly(ALERTS_0);
        assertThat(ownership.delivers(ofPartition)).isTrue();

        ownership.revokedAll();
        assertThat(ownership.delivers(ofPartition)).isFalse();
        assertThat(ownership.waiting()).isFalse();
    }

    @Test
    void anInputTopicWhosePartitionCountChangedIsNotDeliveredAndTheNodeKeepsWaiting() {
        assertThat(ownership.partitionCount("order-status", 4)).isTrue();
        assertThat(ownership.partitionCount("inventory-alerts", 6)).as("partitions added").isFalse();

        long assignment = ownership.assigned(List.of(ALERTS_0, ORDERS_1));
        assertThat(ownership.caughtUp(List.of(ALERTS_0, ORDERS_1), assignment)).containsExactly(ORDERS_1);
        assertThat(ownership.delivers(ALERTS_0)).isFalse();
        assertThat(ownership.delivers(deliveryIn(ALERTS_0))).isFalse();
        assertThat(ownership.waiting()).as("not ready").isTrue();
    }

    @Test
    void aPartitionNeverAssignedIsNotDelivered() {
        long assignment = ownership.assigned(List.of(ORDERS_1));
        assertThat(ownership.caughtUp(List.of(ORDERS_1, ALERTS_0), assignment)).containsExactly(ORDERS_1);
        assertThat(ownership.delivers(deliveryIn(ALERTS_0))).isFalse();
    }

    /** An alert's delivery whose SKU falls in {@code partition}. */
    private Delivery deliveryIn(TopicPartition partition) {
        for (int i = 0; ; i++) {
            Notice alert = Parts.alert("alert-" + i, "SKU-" + i);
            if (ownership.partitionOf(alert).equals(partition)) {
                return delivery(alert);
            }
        }
    }

    private static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
