package dev.omnistock.inventory.api;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that reads a topic for the API (a feed, the committed order changes): it polls until
 * closed, and after a failure (the broker or registry away) pauses and polls again; the poll seeks
 * back to what it has not handled yet.
 */
final class TopicReaderThread implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicReaderThread.class);
    private static final long RETRY_MS = 1_000;

    private final KafkaConsumer<?, ?> consumer;
    private final Runnable pollOnce;
    private final String what;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * Starts reading: create it last, once what {@code pollOnce} uses is set.
     *
     * @param what what it reads, for logs, e.g. "the availability feed's changes"
     */
    TopicReaderThread(String threadName, String what, KafkaConsumer<?, ?> consumer, Runnable pollOnce) {
        this.consumer = consumer;
        this.pollOnce = pollOnce;
        this.what = what;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** False once it has stopped for good (only on close). */
    boolean running() {
        return thread.isAlive();
    }

    private void run() {
        try {
            while (running) {
                try {
                    pollOnce.run();
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    log.warn("Could not read {} ({}); retrying in {} ms", what, e.getMessage(), RETRY_MS);
                    Thread.sleep(RETRY_MS);
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }
}
