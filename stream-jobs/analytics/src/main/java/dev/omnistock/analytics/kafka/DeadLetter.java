package dev.omnistock.analytics.kafka;

import java.io.Serializable;

/** A record the job could not read: its original bytes, where it came from and why it was refused. */
public record DeadLetter(String topic, int partition, long offset, byte[] key, byte[] value, String exception, String message)
        implements Serializable {
}
