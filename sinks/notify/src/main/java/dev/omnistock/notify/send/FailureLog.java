package dev.omnistock.notify.send;

import java.util.UUID;
import org.slf4j.Logger;

/**
 * A failure's detail (exception text, internal host:port) goes to the notifier's log under an error
 * id; the delivery log, which a subscription's owner reads, gets only the id.
 */
final class FailureLog {

    private FailureLog() {
    }

    /** Logs the detail under a new id; returns what the delivery log says. */
    static String logged(Logger log, String what, String maskedTarget, Exception e) {
        String errorId = UUID.randomUUID().toString();
        log.warn("{} to {} failed (error id {}): {}", what, maskedTarget, errorId, e.toString());
        return what + " failed: " + e.getClass().getSimpleName() + " (error id " + errorId + " in the notifier's log)";
    }
}
