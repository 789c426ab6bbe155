package dev.omnistock.serde;

import org.apache.kafka.common.errors.RetriableException;

/**
 * The schema registry could not be asked (down, unreachable, overloaded or refusing our credentials):
 * the record is not at fault and must be read again later, never dead-lettered. A Kafka
 * {@link RetriableException}, so that every reader recognises it through {@link #isTransient}.
 */
public final class SchemaRegistryUnavailableException extends RetriableException {

    public SchemaRegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether the failure, or any of its causes, is one that goes away by waiting: not the record's fault. */
    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RetriableException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
