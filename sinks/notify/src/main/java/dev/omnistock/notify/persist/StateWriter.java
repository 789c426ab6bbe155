package dev.omnistock.notify.persist;

import java.util.concurrent.CompletableFuture;

/** Sends one record to one of the notifier's compacted state topics. */
@FunctionalInterface
public interface StateWriter {

    /**
     * Sends {@code value} (null: a tombstone) under {@code key}. The future completes with the record's
     * offset once the broker has it (acks=all), or fails; it never blocks the caller for long and never
     * throws itself. The offset orders the writes of every notifier node to the key.
     */
    CompletableFuture<Long> send(String topic, String key, byte[] value);
}
