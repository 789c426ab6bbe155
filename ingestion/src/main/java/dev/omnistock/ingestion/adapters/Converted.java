package dev.omnistock.ingestion.adapters;

import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * What an adapter made of a channel's payload: the canonical events it could build, and each row it
 * could not, with why. Rows are numbered from 1 as a person reading the file counts them (the CSV
 * header is row 1, so the first data row is row 2).
 */
public record Converted(List<Accepted> accepted, List<RowError> rejected) {

    public enum Destination { ORDERS, STOCK }

    /** @param key the Kafka key: orderId for orders, SKU for stock */
    public record Accepted(int row, Destination destination, String key, SpecificRecord event) {
    }

    public record RowError(int row, String field, String message) {
    }
}
