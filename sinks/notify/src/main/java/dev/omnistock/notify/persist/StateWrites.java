package dev.omnistock.notify.persist;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the notifier writes its state: once, waiting for the broker's acknowledgement (an API request
 * fails when that fails), or until written (after a receiver was reached: what it answered must not be
 * lost, and must not make the notice go out again), retrying with a growing pause.
 */
public final class StateWrites {

    private static final Logger log = LoggerFactory.getLogger(StateWrites.class);

    private final StateWriter writer;
    private final Duration timeout;
    private final Duration firstPause;
    private final Duration longestPause;
    private volatile boolean stopping;

    /**
     * @param timeout      how long one write is waited for
     * @param firstPause   the pause before the first retry; it doubles up to {@code longestPause}
     */
    public StateWrites(StateWriter writer, Duration timeout, Duration firstPause, Duration longestPause) {
        this.writer = writer;
        this.timeout = timeout;
        this.firstPause = firstPause;
        this.longestPause = longestPause;
    }

    public CompletableFuture<Long> send(String topic, String key, byte[] value) {
        return writer.send(topic, key, value);
    }

    /**
     * Writes once and waits for it; throws {@link StateWriteFailed} when it fails or takes longer than the timeout.
     *
     * @return the record's offset
     */
    public long once(String topic, String key, byte[] value) {
        CompletableFuture<Long> write = send(topic, key, value);
        await(List.of(write), "Could not write " + key + " to " + topic);
        return write.join();
    }

    /** Waits for writes already sent; throws {@link StateWriteFailed} naming the first that failed. */
    public void await(List<? extends CompletableFuture<?>> writes, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (CompletableFuture<?> write : writes) {
            try {
                write.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StateWriteFailed(what + ": interrupted", e);
            } catch (ExecutionException e) {
                throw new StateWriteFailed(what + " (is Kafka up?): " + e.getCause(), e.getCause());
            } catch (TimeoutException e) {
                throw new StateWriteFailed(what + " within " + timeout.toMillis() + " ms (is Kafka up?)", e);
            }
        }
    }

    /**
     * Writes until the broker has it, however long that takes, logging each failure with
     * {@code ifLost}: what happens should the notifier stop before the write succeeds. Only stopping
     * ends the retries, with {@link StateWriteFailed}.
     *
     * @return the record's offset
     */
    public long untilWritten(String topic, String key, byte[] value, String ifLost) {
        Duration pause = firstPause;
        for (int attempt = 1; ; attempt++) {
            try {
                long offset = once(topic, key, value);
                if (attempt > 1) {
                    log.info("Wrote {} to {} after {} attempts", key, topic, attempt);
                }
                return offset;
            } catch (StateWriteFailed e) {
                if (stopping || Thread.currentThread().isInterrupted()) {
                    log.error("Gave up writing {} to {}: the notifier is stopping. {}", key, topic, ifLost);
                    throw e;
                }
                log.warn("{}; retrying in {} ms (attempt {}). Nothing is sent again meanwhile. Check that Kafka is up and "
                        + "accepts writes to {}; should the notifier stop first: {}", e.getMessage(), pause.toMillis(), attempt, topic, ifLost);
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new StateWriteFailed("Interrupted while writing " + key + " to " + topic + ". " + ifLost, interrupted);
                }
                pause = pause.multipliedBy(2).compareTo(longestPause) > 0 ? longestPause : pause.multipliedBy(2);
            }
        }
    }

    /** From now on, writes that fail are not retried. */
    public void stop() {
        stopping = true;
    }
}
