package dev.omnistock.ingestion.requests;

/** One problem with one field of a request, e.g. {@code lines[1].quantity}: "must be more than 0". */
public record FieldError(String field, String message) {
}
