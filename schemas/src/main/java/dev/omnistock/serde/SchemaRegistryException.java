package dev.omnistock.serde;

/** A schema registry call failed; {@link #httpStatus()} is 409 for an incompatible schema. */
public final class SchemaRegistryException extends RuntimeException {

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(String message, int httpStatus, int errorCode, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    /** HTTP status the registry answered with, or -1 when it was not reached. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Confluent error code (e.g. 409 incompatible schema, 40401 subject not found), or -1. */
    public int errorCode() {
        return errorCode;
    }
}
