package dev.omnistock.topics;

/**
 * Headers on every dead-letter record: the original key and value bytes are kept as they were and
 * these say why and where from. The names are Kafka Streams' own (its built-in dead-letter queue
 * writes them for records it cannot deserialize), so one tool reads both kinds.
 */
public final class DeadLetterHeaders {

    /** What went wrong, by kind: an exception class, or {@link #REJECTED_BY_RULE} for a valid but impossible event. */
    public static final String EXCEPTION = "__streams.errors.exception";
    /** Why, in words an operator can act on. */
    public static final String MESSAGE = "__streams.errors.message";
    public static final String TOPIC = "__streams.errors.topic";
    public static final String PARTITION = "__streams.errors.partition";
    public static final String OFFSET = "__streams.errors.offset";

    public static final String REJECTED_BY_RULE = "dev.omnistock.RejectedByRule";

    private DeadLetterHeaders() {
    }
}
