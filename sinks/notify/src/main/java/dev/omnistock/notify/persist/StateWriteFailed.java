package dev.omnistock.notify.persist;

/** A state record could not be written (Kafka away, or the notifier stopping while it retried). */
public final class StateWriteFailed extends RuntimeException {

    public StateWriteFailed(String message, Throwable cause) {
        super(message, cause);
    }
}
