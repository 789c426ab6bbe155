package dev.omnistock.inventory.api;

/** Ends a request with the given status and an RFC 7807 body. */
final class ProblemException extends RuntimeException {

    final int status;
    final String title;

    ProblemException(int status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }
}
