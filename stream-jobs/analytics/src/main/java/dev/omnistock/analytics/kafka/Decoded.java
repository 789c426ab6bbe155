package dev.omnistock.analytics.kafka;

import java.io.Serializable;

/** What a source read: a value, or the dead letter of a record that could not be read. Exactly one is set. */
public record Decoded<T>(T value, DeadLetter deadLetter) implements Serializable {
}
