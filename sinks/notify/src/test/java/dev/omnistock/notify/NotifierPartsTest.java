package dev.omnistock.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.omnistock.notify.delivery.Delivery;
import dev.omnistock.notify.delivery.RetrySchedule;
import dev.omnistock.notify.notices.Notice;
import dev.omnistock.notify.notices.Notices;
import dev.omnistock.notify.send.Sender;
import dev.omnistock.notify.send.Signatures;
import dev.omnistock.notify.subscriptions.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The notifier's parts without Kafka: what an attempt changes, and when state writes fail. */
class NotifierPartsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final RetrySchedule FAST = RetrySchedule.parse("0s,1s,1s,1s,1s,1s");

    /** A receiver that holds each attempt until the test lets it answer. */
    static final class HeldReceiver implements Sender {
        final CountDownLatch arrived = new CountDownLatch(1);
        final CountDownLatch answer = new CountDownLatch(1);
        final List<String> secretsSeen = new CopyOnWriteArrayList<>();
        final AtomicInteger calls = new AtomicInteger();
        volatile Delivery.Result result = Delivery.Result.failed(500, 1, "HTTP 500", Optional.empty());

        @Override
        public Delivery.Result send(Subscription subscription, Notice notice, Instant now) {
            calls.incrementAndGet();
            secretsSeen.add(subscription.secrets().get(0));
            arrived.countDown();
            try {
                answer.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return result;
        }
    }

    /** Answers at once with what {@code answer} says, counting the notices by id. */
    static final class QuickReceiver implements Sender {
        final List<String> received = new CopyOnWriteArrayList<>();
        final Function<Notice, Delivery.Result> answer;

        QuickReceiver(Function<Notice, Delivery.Result> answer) {
            this.answer = answer;
        }

        @Override
        public Delivery.Result send(Subscription subscription, Notice notice, Instant now) {
            received.add(notice.id());
            return answer.apply(notice);
        }
    }

    @Test
    void aSubscriptionDeletedWhileAnAttemptIsUnderWayStaysDeleted() throws Exception {
        HeldReceiver receiver = new HeldReceiver();
        try (Parts parts = new Parts(receiver, FAST, Duration.ofDays(5)).start()) {
            parts.subscribe("sub-1", Subscription.Filter.ALL);
            Delivery delivery = parts.take(Parts.alert("a-1", "SKU-1")).get(0);
            assertThat(receiver.arrived.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(parts.subscriptions.delete("sub-1")).isTrue();
            receiver.answer.countDown(); // a 500: the attempt marks its subscription failing, which it must not bring back

            await().atMost(TIMEOUT).until(() -> parts.deliveries.get(delivery.id()).orElseThrow().finished());
            assertThat(parts.subscriptions.get("sub-1")).isEmpty();
            assertThat(parts.writer.read(Parts.SUBSCRIPTIONS, "sub-1", Subscription.class)).as("the last record of it: a tombstone").isNull();
            assertThat(parts.deliveries.get(delivery.id()).orElseThrow().lastAttempt().error()).isEqualTo("the subscription was deleted");
        }
    }

    @Test
    void aSecretRotatedWhileAnAttemptIsUnderWayIsNotReverted() throws Exception {
        for (boolean delivered : List.of(false, true)) {
            HeldReceiver receiver = new HeldReceiver();
            if (delivered) {
                receiver.result = Delivery.Result.delivered(200, 1);
            }
            try (Parts parts = new Parts(receiver, FAST, Duration.ofDays(5)).start()) {
                Subscription subscription = parts.subscribe("sub-1", Subscription.Filter.ALL);
                if (delivered) { // a success clears failing-since: that change too goes to the subscription as it is now
                    parts.subscriptions.update("sub-1", s -> s.failing(Instant.now()));
                }
                Delivery delivery = parts.take(Parts.alert("a-1", "SKU-1")).get(0);
                assertThat(receiver.arrived.await(10, TimeUnit.SECONDS)).isTrue();

                String rotated = Signatures.newSecret();
                // As the API rotates: the subscription as it is, with a new secret.
                parts.subscriptions.put(parts.subscriptions.get("sub-1").orElseThrow().withNewSecret(rotated, Instant.now(), Duration.ofHours(1)));
                receiver.answer.countDown();

                await().atMost(TIMEOUT).until(() -> parts.deliveries.get(delivery.id()).orElseThrow().attemptsMade() == 1);
                await().atMost(TIMEOUT).untilAsserted(() -> assertThat(parts.subscriptions.get("sub-1").orElseThrow().failingSince() == null)
                        .isEqualTo(delivered));
                Subscription now = parts.subscriptions.get("sub-1").orElseThrow();
                assertThat(now.secrets().get(0)).as(delivered ? "after a success" : "after a failure").isEqualTo(rotated);
                assertThat(now.secrets()).contains(subscription.secrets().get(0));
                assertThat(parts.writer.read(Parts.SUBSCRIPTIONS, "sub-1", Subscription.class).secrets().get(0)).isEqualTo(rotated);
                assertThat(receiver.secretsSeen).containsExactly(subscription.secrets().get(0));
            }
        }
    }

    @Test
    void anAcknowledgedDeliveryWhoseStateWriteFailsIsWrittenAgainNotSentAgain() {
        QuickReceiver receiver = new QuickReceiver(notice -> Delivery.Result.delivered(200, 1));
        try (Parts parts = new Parts(receiver, FAST, Duration.ofDays(5)).start()) {
            parts.subscribe("sub-1", Subscription.Filter.ALL);
            // Every write of the delivery after the receiver answered fails, five times.
            parts.writer.failWhile = (topic, key) -> topic.equals(Parts.DELIVERIES) && !receiver.received.isEmpty()
                    && parts.writer.failures.get() < 5;
            Delivery delivery = parts.take(Parts.alert("a-1", "SKU-1")).get(0);

            await().atMost(TIMEOUT).until(() -> {
                Delivery written = parts.writer.read(Parts.DELIVERIES, delivery.id(), Delivery.class);
                return written != null && written.status() == Delivery.Status.DELIVERED;
            });
            assertThat(parts.writer.failures.get()).isEqualTo(5);
            assertThat(receiver.received).as("sent once, however often its state write failed").containsExactly("a-1");
            assertThat(parts.deliveries.get(delivery.id()).orElseThrow().attempts()).hasSize(1);
            assertThat(parts.logged).hasSize(1);
        }
    }

    @Test
    void aLaterNoticeOfAnOrderWaitsUntilTheEarlierIsDeliveredOrGivenUp() {
        // The first attempt of each notice is refused; any later one is acknowledged.
        java.util.Set<String> refusedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
        QuickReceiver receiver = new QuickReceiver(notice -> refusedOnce.add(notice.id())
                ? Delivery.Result.failed(503, 1, "HTTP 503", Optional.empty()) : Delivery.Result.delivered(200, 1));
        try (Parts parts = new Parts(receiver, FAST, Duration.ofDays(5)).start()) {
            parts.subscribe("sub-1", Subscription.Filter.ALL);
            parts.take(Parts.order("O-1", 1, "accepted"));
            parts.take(Parts.order("O-1", 2, "shipped"));
            parts.take(Parts.order("O-2", 1, "accepted")); // another order waits for nothing of O-1

            await().atMost(TIMEOUT).until(() -> parts.deliveries.list(Optional.empty(), Optional.of(Delivery.Status.DELIVERED), 10).size() == 3);
            // Each refused once, then acknowledged: O-1's shipped went out only after its accepted was acknowledged.
            List<String> o1 = receiver.received.stream().filter(id -> id.startsWith("O-1/")).toList();
            assertThat(o1).containsExactly("O-1/1", "O-1/1", "O-1/2", "O-1/2");
            assertThat(receiver.received.indexOf("O-2/1")).as("O-2 did not wait for O-1's retry").isLessThan(receiver.received.indexOf("O-1/2"));
        }
    }

    @Test
    void aNoticeGivenUpLetsTheNextOfItsOrderGo() {
        QuickReceiver receiver = new QuickReceiver(notice -> notice.id().equals("O-3/1")
                ? Delivery.Result.failed(500, 1, "HTTP 500", Optional.empty()) : Delivery.Result.delivered(200, 1));
        try (Parts parts = new Parts(receiver, RetrySchedule.parse("0s,1s"), Duration.ofDays(5)).start()) {
            parts.subscribe("sub-1", Subscription.Filter.ALL);
            parts.take(Parts.order("O-3", 1, "accepted"));
            parts.take(Parts.order("O-3", 2, "cancelled"));
            await().atMost(TIMEOUT).until(() -> receiver.received.contains("O-3/2"));
            assertThat(receiver.received).containsExactly("O-3/1", "O-3/1", "O-3/2");
            assertThat(parts.deliveries.get("O-3/1|sub-1").orElseThrow().status()).isEqualTo(Delivery.Status.FAILED);
        }
    }

    @Test
    void aDeliveryFinishedLongerThanTheRetentionIsTombstonedAndDropped() {
        QuickReceiver receiver = new QuickReceiver(notice -> notice.id().equals("a-2")
                ? Delivery.Result.failed(500, 1, "HTTP 500", Optional.empty()) : Delivery.Result.delivered(200, 1));
        Duration retention = Duration.ofDays(7);
        try (Parts parts = new Parts(receiver, RetrySchedule.parse("0s,1h"), Duration.ofDays(5)).start()) {
            parts.subscribe("sub-1", Subscription.Filter.ALL);
            String done = parts.take(Parts.alert("a-1", "SKU-1")).get(0).id();
            String pending = parts.take(Parts.alert("a-2", "SKU-1")).get(0).id();
            await().atMost(TIMEOUT).until(() -> parts.deliveries.get(done).orElseThrow().finished()
                    && parts.deliveries.get(pending).orElseThrow().attemptsMade() == 1);
            Instant finished = parts.deliveries.get(done).orElseThrow().finishedAt();

            assertThat(parts.deliveries.expire(finished.plus(retention).minusSeconds(1), retention, delivery -> true)).isZero();
            assertThat(parts.deliveries.get(done)).isPresent();

            assertThat(parts.deliveries.expire(finished.plus(retention), retention, delivery -> true)).isEqualTo(1);
            assertThat(parts.deliveries.get(done)).isEmpty();
            assertThat(parts.writer.latest).as("a tombstone on the compacted topic").doesNotContainKey(Parts.DELIVERIES + "/" + done);
            assertThat(parts.deliveries.list(Optional.empty(), Optional.empty(), 100)).extracting(Delivery::id).containsExactly(pending);
            assertThat(parts.deliveries.list(Optional.of("sub-1"), Optional.empty(), 100)).extracting(Delivery::id).containsExactly(pending);
            assertThat(parts.deliveries.get(pending)).as("a pending one stays, however old").isPresent();
            assertThat(parts.deliveries.expire(finished.plus(Duration.ofDays(365)), retention, delivery -> true)).isZero();
        }
    }

    /** A started node whose receiver acknowledged one alert to one subscription; the delivery as first written, at its offset. */
    private record Delivered(Parts parts, QuickReceiver receiver, Delivery created, long createdAt) implements AutoCloseable {

        static Delivered oneAlert() {
            QuickReceiver receiver = new QuickReceiver(notice -> Delivery.Result.delivered(200, 1));
            Parts parts = new Parts(receiver, FAST, Duration.ofDays(5)).start();
            parts.subscribe("sub-1", Subscription.Filter.ALL);
            Delivery created = parts.take(Parts.alert("a-1", "SKU-1")).get(0);
            long createdAt = parts.writer.offsets.get() - 1;
            await().atMost(TIMEOUT).until(() -> parts.deliveries.get(created.id()).orElseThrow().finished());
            return new Delivered(parts, receiver, created, createdAt);
        }

        @Override
        public void close() {
            parts.close();
        }
    }

    @Test
    void aRecordReadBackOlderThanTheDeliveryKnownChangesNothingAndAnotherNodesLaterOneReplacesIt() {
        try (Delivered node = Delivered.oneAlert()) {
            Parts parts = node.parts();
            Delivery created = node.created();
            long createdAt = node.createdAt();
            QuickReceiver receiver = node.receiver();

            // This node's own first record, read back by the follower after the delivery moved on: no regression, no resend.
            parts.deliveries.followed(created.id(), created, createdAt);
            assertThat(parts.deliveries.get(created.id()).orElseThrow().status()).isEqualTo(Delivery.Status.DELIVERED);

            // Another node asked for a redelivery (a later record): applied, and this node, which delivers it, sends it again.
            Delivery redelivered = parts.deliveries.get(created.id()).orElseThrow().redeliver(Instant.now());
            parts.deliveries.followed(created.id(), redelivered, parts.writer.offsets.get() + 10);
            await().atMost(TIMEOUT).until(() -> receiver.received.size() == 2);
            await().atMost(TIMEOUT).until(() -> parts.deliveries.get(created.id()).orElseThrow().finished());

            // Another node's tombstone drops it.
            parts.deliveries.followed(created.id(), null, parts.writer.offsets.get() + 20);
            assertThat(parts.deliveries.get(created.id())).isEmpty();
        }
    }

    @Test
    void aCreationRecordLandingAfterAnotherNodeDeliveredItDoesNotMakeItPendingAgain() {
        try (Delivered node = Delivered.oneAlert()) {
            String id = node.created().id();

            // A write given up on, or another node creating the same delivery, lands later than the delivered record.
            node.parts().deliveries.followed(id, node.created(), node.parts().writer.offsets.get() + 10);

            assertThat(node.parts().deliveries.get(id).orElseThrow().status()).isEqualTo(Delivery.Status.DELIVERED);
            await().during(Duration.ofMillis(1500)).atMost(TIMEOUT).until(() -> node.receiver().received.size() == 1);
        }
    }

    @Test
    void theStateWritersProducerGivesARecordUpBeforeItsCallerStopsWaiting() {
        Duration writeTimeout = Notifier.WRITE_TIMEOUT;
        java.util.Map<String, Object> bound = dev.omnistock.notify.persist.KafkaStateWriter.deliveryBound(writeTimeout);
        long delivery = ((Number) bound.get("delivery.timeout.ms")).longValue();
        long request = ((Number) bound.get("request.timeout.ms")).longValue();
        long linger = ((Number) bound.get("linger.ms")).longValue();
        assertThat(delivery).isLessThan(writeTimeout.toMillis());
        assertThat(request + linger).isLessThanOrEqualTo(delivery);
    }

    @Test
    void twoNodesDisablingOneSubscriptionAtOnceMakeOneDisabledNotice() {
        Instant failingSince = Instant.now().minus(Duration.ofDays(6));
        List<String> noticeDeliveries = new CopyOnWriteArrayList<>();
        for (Duration clockSkew : List.of(Duration.ZERO, Duration.ofMillis(1234))) {
            try (Parts node = new Parts(new QuickReceiver(notice -> Delivery.Result.delivered(200, 1)), FAST, Duration.ofDays(5))) {
                Subscription failing = node.subscribe("sub-1", Subscription.Filter.ALL);
                node.subscriptions.put(new Subscription("sub-1", failing.destination(), failing.filter(), failing.secrets(), null,
                        failing.createdAt().minus(Duration.ofDays(7)), failingSince, null, null));
                node.subscribe("ops", new Subscription.Filter(List.of(Notices.SUBSCRIPTION_DISABLED), List.of(), List.of(), List.of(),
                        List.of()));
                Instant now = Instant.now().plus(clockSkew);

                node.policy.afterAttempt("sub-1", false, now, now);

                assertThat(node.subscriptions.get("sub-1").orElseThrow().enabled()).isFalse();
                noticeDeliveries.addAll(node.deliveries.all().stream().filter(d -> d.subscriptionId().equals("ops")).map(Delivery::id)
                        .toList());
            }
        }
        assertThat(noticeDeliveries).as("each node's notice of the one disable: one delivery id").hasSize(2);
        assertThat(noticeDeliveries.get(0)).isEqualTo(noticeDeliveries.get(1));
    }

    @Test
    void aNodeDropsOnlyTheFinishedDeliveriesItDeliversAndKeepsTheOthersForLater() {
        Duration retention = Duration.ofDays(7);
        try (Delivered node = Delivered.oneAlert()) {
            Parts parts = node.parts();
            String done = node.created().id();
            Instant later = parts.deliveries.get(done).orElseThrow().finishedAt().plus(retention);

            assertThat(parts.deliveries.expire(later, retention, delivery -> false)).as("another node's: it drops it").isZero();
            assertThat(parts.deliveries.get(done)).isPresent();
            // This node took its partition over: the next sweep drops it.
            assertThat(parts.deliveries.expire(later, retention, delivery -> true)).isEqualTo(1);
            assertThat(parts.deliveries.get(done)).isEmpty();
            // The follower, behind, reads its first record, then its tombstone: it stays dropped.
            long tombstone = parts.writer.offsets.get() - 1;
            parts.deliveries.followed(done, node.created(), node.createdAt());
            assertThat(parts.deliveries.get(done)).isEmpty();
            parts.deliveries.followed(done, null, tombstone);
            assertThat(parts.deliveries.get(done)).isEmpty();
        }
    }

    @Test
    void aSubscriptionReadBackKeepsItsLatestRecord() {
        try (Parts parts = new Parts(new QuickReceiver(notice -> Delivery.Result.delivered(200, 1)), FAST, Duration.ofDays(5))) {
            Subscription first = parts.subscribe("sub-1", Subscription.Filter.ALL);
            long firstAt = parts.writer.offsets.get() - 1;
            Subscription rotated = parts.subscriptions.update("sub-1", s -> s.withNewSecret(Signatures.newSecret(), Instant.now(),
                    Duration.ofHours(1))).orElseThrow();

            parts.subscriptions.followed("sub-1", first, firstAt); // this node's first write, read back late
            assertThat(parts.subscriptions.get("sub-1")).contains(rotated);

            // Made or deleted through another node's API: later records, kept.
            Subscription other = new Subscription("sub-2", first.destination(), first.filter(), first.secrets(), null, Instant.now(), null,
                    null, null);
            parts.subscriptions.followed("sub-2", other, parts.writer.offsets.get() + 5);
            assertThat(parts.subscriptions.get("sub-2")).contains(other);
            parts.subscriptions.followed("sub-1", null, parts.writer.offsets.get() + 6);
            assertThat(parts.subscriptions.get("sub-1")).isEmpty();
        }
    }

    @Test
    void aSubscriptionDeletedThroughAnotherNodeStaysDeletedWhenThisNodeWritesItsHealthAfterTheDeletion() {
        try (Parts node = new Parts(new QuickReceiver(notice -> Delivery.Result.delivered(200, 1)), FAST, Duration.ofDays(5))) {
            Subscription made = node.subscribe("sub-1", Subscription.Filter.ALL);
            long madeAt = node.writer.offsets.get() - 1;
            long deletedAt = node.writer.offsets.getAndIncrement(); // another node's API wrote the tombstone; not read here yet

            // This node's worker records a first failure on its copy: a whole subscription record after the tombstone.
            Instant now = Instant.now();
            node.policy.afterAttempt("sub-1", false, now, now);
            long failingAt = node.writer.offsets.get() - 1;
            assertThat(node.writer.read(Parts.SUBSCRIPTIONS, "sub-1", Subscription.class)).as("written after the tombstone").isNotNull();

            node.subscriptions.followed("sub-1", made, madeAt);
            node.subscriptions.followed("sub-1", null, deletedAt);
            assertThat(node.subscriptions.get("sub-1")).isEmpty();
            await().atMost(TIMEOUT).until(() -> node.writer.read(Parts.SUBSCRIPTIONS, "sub-1", Subscription.class) == null);
            long writtenAgainAt = node.writer.offsets.get() - 1;

            // Its own late record read back, and the tombstone written again: still deleted.
            node.subscriptions.followed("sub-1", made.failing(now), failingAt);
            node.subscriptions.followed("sub-1", null, writtenAgainAt);
            assertThat(node.subscriptions.get("sub-1")).isEmpty();
        }
    }

    @Test
    void aNodeReadingASubscriptionRecordWrittenAfterItsTombstoneKeepsItDeletedAndDeletesItAgain() {
        try (Parts node = new Parts(new QuickReceiver(notice -> Delivery.Result.delivered(200, 1)), FAST, Duration.ofDays(5))) {
            Subscription other = new Subscription("sub-1", new Subscription.Destination(Subscription.Kind.WEBHOOK, "https://receiver.example/1"),
                    Subscription.Filter.ALL, List.of(Signatures.newSecret()), null, Instant.now(), null, null, null);
            long start = node.writer.offsets.getAndAdd(3); // the topic as another node wrote it: made, deleted, health after it

            node.subscriptions.followed("sub-1", other, start);
            node.subscriptions.followed("sub-1", null, start + 1);
            node.subscriptions.followed("sub-1", other.failing(Instant.now()), start + 2);

            assertThat(node.subscriptions.get("sub-1")).isEmpty();
            await().atMost(TIMEOUT).until(() -> node.writer.written.contains(Parts.SUBSCRIPTIONS + "/sub-1"));
            assertThat(node.writer.read(Parts.SUBSCRIPTIONS, "sub-1", Subscription.class)).as("the tombstone, written again").isNull();
        }
    }

    @Test
    void theDeliveryLogIsNewestFirstAndBounded() {
        QuickReceiver receiver = new QuickReceiver(notice -> Delivery.Result.delivered(200, 1));
        try (Parts parts = new Parts(receiver, FAST, Duration.ofDays(5)).start()) {
            parts.subscribe("sub-1", Subscription.Filter.ALL);
            parts.subscribe("sub-2", Subscription.Filter.ALL);
            for (int i = 0; i < 50; i++) {
                parts.take(Parts.alert("a-" + i, "SKU-1"));
            }
            await().atMost(TIMEOUT).until(() -> parts.deliveries.list(Optional.empty(), Optional.of(Delivery.Status.DELIVERED), 1000).size() == 100);
            List<Delivery> newest = parts.deliveries.list(Optional.of("sub-2"), Optional.of(Delivery.Status.DELIVERED), 5);
            assertThat(newest).hasSize(5).allMatch(d -> d.subscriptionId().equals("sub-2"));
            assertThat(newest).extracting(Delivery::createdAt).isSortedAccordingTo(java.util.Comparator.reverseOrder());
            assertThat(newest.get(0).notice().id()).isEqualTo("a-49");
        }
    }

    private static Subscription subscriptionMadeAt(String id, Instant createdAt) {
        return new Subscription(id, new Subscription.Destination(Subscription.Kind.WEBHOOK, "https://receiver.example/" + id),
                Subscription.Filter.ALL, List.of(Signatures.newSecret()), null, createdAt, null, null, null);
    }

    private static Notice alertAt(String id, Instant occurredAt) {
        Notice now = Parts.alert(id, "SKU-1");
        return new Notice(now.id(), now.kind(), occurredAt, now.skus(), now.locations(), now.channel(), now.summary(), now.data());
    }

    @Test
    void aNoticeOlderThanTheRetentionIsSkipped() {
        // Down longer than the retention: the sweep at start dropped its finished deliveries, and the broker the group's
        // offsets; read again from the earliest, the old notices would go out a second time.
        try (Parts parts = new Parts(new QuickReceiver(notice -> Delivery.Result.delivered(200, 1)), FAST, Duration.ofDays(5))) {
            parts.subscriptions.put(subscriptionMadeAt("sub-1", Instant.now().minus(Duration.ofDays(30))));
            Instant now = Instant.now();
            assertThat(parts.take(alertAt("old", now.minus(Notifier.DELIVERY_RETENTION).minusSeconds(60)))).isEmpty();
            assertThat(parts.intake.skippedTooOld()).isEqualTo(1);
            assertThat(parts.take(alertAt("recent", now.minus(Notifier.DELIVERY_RETENTION).plusSeconds(60))))
                    .extracting(Delivery::subscriptionId).containsExactly("sub-1");
            assertThat(parts.intake.skippedTooOld()).isEqualTo(1);
        }
    }

    @Test
    void aSubscriptionMadeAfterANoticeOccurredGetsNoDeliveryOfIt() {
        try (Parts parts = new Parts(new QuickReceiver(notice -> Delivery.Result.delivered(200, 1)), FAST, Duration.ofDays(5))) {
            Instant occurred = Instant.now().minus(Duration.ofHours(1));
            parts.subscriptions.put(subscriptionMadeAt("before", occurred.minusSeconds(1)));
            parts.subscriptions.put(subscriptionMadeAt("after", occurred.plusSeconds(1)));
            assertThat(parts.take(alertAt("a-1", occurred))).extracting(Delivery::subscriptionId).containsExactly("before");
        }
    }
}
