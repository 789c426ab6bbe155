package dev.omnistock.analytics.it;

import static org.awaitility.Awaitility.await;

import dev.omnistock.events.Channel;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.generator.GroundTruth;
import dev.omnistock.generator.Workload;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The workload generator's order events sent to the orders topic at a steady rate from a thread of
 * their own, while a test stops, rescales and kills the job; then the totals ClickHouse must end with.
 */
final class GeneratedOrders implements AutoCloseable {

    static final String CLOCK_SKU = "SKU-CLOCK";
    /** Units ordered, cancelled, shipped and returned in demand_per_minute, as GroundTruth#demandTotals counts them. */
    static final String DEMAND_TOTALS = "SELECT sum(units_ordered), sum(units_cancelled), sum(units_shipped), sum(units_returned) "
            + "FROM demand_per_minute FINAL WHERE sku != '" + CLOCK_SKU + "'";

    private final AnalyticsStack stack;
    private final String topic;
    private final Workload workload;
    private final int perSecond;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private volatile boolean running = true;
    private volatile Instant latestEventTime = Instant.EPOCH;
    private final Thread sender;

    GeneratedOrders(AnalyticsStack stack, long seed, int partitions, int perSecond) {
        this.stack = stack;
        this.topic = stack.config.topics().orders().name();
        this.workload = new Workload(new Workload.Settings(200, 4, seed, Workload.Mode.DEEP,
                Instant.now().truncatedTo(ChronoUnit.MILLIS), partitions));
        this.perSecond = perSecond;
        this.sender = new Thread(this::send, "generated-orders");
        sender.start();
    }

    private void send() {
        long started = System.nanoTime();
        try {
            while (running) {
                Workload.Keyed next = workload.next();
                if (!(next.event() instanceof OrderEvent order)) {
                    continue;
                }
                long due = started + TimeUnit.SECONDS.toNanos(1) * sent.get() / perSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                stack.send(topic, next.key(), order);
                latestEventTime = order.getEventTime();
                sent.incrementAndGet();
            }
        } catch (Exception e) {
            failure.set(e);
        }
    }

    long sent() {
        return sent.get();
    }

    /** Waits until a thousand more orders went out (five seconds' worth), so that each step has some in flight. */
    void awaitMore() {
        long from = sent.get();
        await().atMost(ClusterJobs.STEP).until(() -> sent.get() >= from + 1_000);
    }

    /**
     * Stops sending, then sends an order a day after the last one into every partition: each partition's
     * watermark passes every minute sent, so every window fires (the clocks' own never does).
     * Returns what ClickHouse must then hold.
     */
    long[] finish(int partitions) throws Exception {
        stop();
        for (int partition = 0; partition < partitions; partition++) {
            stack.sendTo(topic, partition, "clock-" + partition,
                    Orders.placed("clock-" + partition, latestEventTime.plus(Duration.ofDays(1)), Channel.WEB, CLOCK_SKU, 1, "1.0000"));
        }
        GroundTruth truth = workload.truth();
        return truth.demandTotals();
    }

    private void stop() throws Exception {
        running = false;
        sender.join(TimeUnit.SECONDS.toMillis(30));
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /** Units ordered, cancelled, shipped and returned in ClickHouse now. */
    static long[] demandIn(AnalyticsStack stack) throws Exception {
        return stack.query(DEMAND_TOTALS).get(0).stream().mapToLong(v -> v == null ? 0 : Long.parseLong(v)).toArray();
    }

    static String describe(long[] totals) {
        return Arrays.toString(totals) + " (units ordered, cancelled, shipped, returned)";
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
