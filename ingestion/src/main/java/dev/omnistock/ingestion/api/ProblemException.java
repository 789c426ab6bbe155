package dev.omnistock.ingestion.api;

import dev.omnistock.ingestion.requests.FieldError;
import java.util.List;

/** Ends a request with an RFC 7807 problem; {@link #errors} names the fields at fault. */
final class ProblemException extends RuntimeException {

    final int status;
    final String title;
    final List<FieldError> errors;

    ProblemException(int status, String title, String detail) {
        this(status, title, detail, List.of());
    }

    ProblemException(int status, String title, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = errors;
    }
}
