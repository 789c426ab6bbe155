package dev.omnistock.streams;

import dev.omnistock.serde.SchemaRegistryUnavailableException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a Kafka Streams application does when a stream thread dies. A failure that passes with time
 * (registry or broker unreachable) replaces the thread after a pause that doubles up to half a minute,
 * and its records are read again from the last commit. Anything else shuts the client down: its state
 * turns ERROR, liveness reports it and the process exits, so that it is restarted instead of left
 * half-working.
 */
public final class StreamThreadFailures implements StreamsUncaughtExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(StreamThreadFailures.class);
    private static final long FIRST_PAUSE_MS = 1_000;
    private static final long MAX_PAUSE_MS = 30_000;

    private final String application;
    private final AtomicLong nextPauseMs = new AtomicLong(FIRST_PAUSE_MS);
    private final AtomicInteger replaced = new AtomicInteger();

    private StreamThreadFailures(String application) {
        this.application = application;
    }

    /** Installs the handler, and a state listener that logs transitions and resets the pause once running again. */
    public static StreamThreadFailures install(KafkaStreams streams, String application, KafkaStreams.StateListener also) {
        StreamThreadFailures failures = new StreamThreadFailures(application);
        streams.setUncaughtExceptionHandler(failures);
        streams.setStateListener((now, before) -> {
            log.info("{}: {} -> {}", application, before, now);
            if (now == KafkaStreams.State.RUNNING) {
                failures.nextPauseMs.set(FIRST_PAUSE_MS);
            }
            also.onChange(now, before);
        });
        return failures;
    }

    @Override
    public StreamThreadExceptionResponse handle(Throwable failure) {
        if (SchemaRegistryUnavailableException.isTransient(failure)) {
            long pause = nextPauseMs.getAndUpdate(ms -> Math.min(ms * 2, MAX_PAUSE_MS));
            log.warn("{}: a stream thread stopped on a failure that should pass: {}. Replacing it in {} ms.",
                    application, rootMessage(failure), pause);
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            replaced.incrementAndGet();
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        log.error("{}: a stream thread stopped on an error that retrying will not mend; stopping so that the process is "
                + "restarted. If it recurs after a restart, the error below names the record or setting at fault.", application, failure);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    /** How many stream threads were replaced after a failure that should pass. */
    public int threadsReplaced() {
        return replaced.get();
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
