package dev.omnistock.inventory.api;

/** Ends a request with the given status and an RFC 7807 body (and a Retry-After header when the answer may come later). */
final class ProblemException extends RuntimeException {

    final int status;
    final String title;
    /** Seconds to send as Retry-After; 0 for none. */
    final int retryAfterSeconds;

    ProblemException(int status, String title, String detail) {
        this(status, title, detail, 0);
    }

    ProblemException(int status, String title, String detail, int retryAfterSeconds) {
        super(detail);
        this.status = status;
        this.title = title;
        this.retryAfterSeconds = retryAfterSeconds;
    }
}
