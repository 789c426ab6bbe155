package dev.omnistock.notify.persist;

import java.util.concurrent.CompletableFuture;

/** Sends one record to one of the notifier's compacted state topics. */
@FunctionalInterface
public interface StateWriter {

    /**
     * Sends {@code value} (null: a tombstone) under {@code key}. The future completes once the broker has
     * the record (acks=all), or fails; it never blocks the caller for long and never throws itself.
     */
    CompletableFuture<Void> send(String topic, String key, byte[] value);
}
