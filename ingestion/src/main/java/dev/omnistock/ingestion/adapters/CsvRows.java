package dev.omnistock.ingestion.adapters;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.omnistock.ids.Ids;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A CSV file with a header line, read as rows of named columns; row numbers count the header as row 1. */
final class CsvRows {

    private static final CsvMapper CSV = new CsvMapper();

    record Row(int number, Map<String, String> columns) {
    }

    private CsvRows() {
    }

    /** @throws IllegalArgumentException naming the missing columns, when the header lacks any */
    static List<Row> read(byte[] csv, Set<String> requiredColumns) {
        CsvSchema schema = CsvSchema.emptySchema().withHeader().withColumnSeparator(',');
        List<Row> rows = new ArrayList<>();
        try (MappingIterator<Map<String, String>> it = CSV.readerForMapOf(String.class).with(schema).readValues(csv)) {
            int number = 1;
            while (it.hasNextValue()) {
                Map<String, String> columns = it.nextValue();
                number++;
                if (number == 2) {
                    List<String> missing = requiredColumns.stream().filter(c -> !columns.containsKey(c)).sorted().toList();
                    if (!missing.isEmpty()) {
                        throw new IllegalArgumentException("the header lacks column(s) " + missing + "; expected " + requiredColumns);
                    }
                }
                rows.add(new Row(number, columns));
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException("not a CSV file with a header line: " + e.getMessage().split("\n")[0], e);
        }
        return rows;
    }

    /** Checks and converts one row's fields, collecting every problem of the row. */
    static final class Fields {
        private final Row row;
        final List<Converted.RowError> errors = new ArrayList<>();

        Fields(Row row) {
            this.row = row;
        }

        String id(String column) {
            String value = row.columns().getOrDefault(column, "").trim();
            if (!Ids.valid(value)) {
                errors.add(new Converted.RowError(row.number(), column, "must be " + Ids.FORM + ", was '" + value + "'"));
            }
            return value;
        }

        int integer(String column, int min) {
            String value = row.columns().getOrDefault(column, "").trim();
            try {
                int parsed = Integer.parseInt(value);
                if (parsed < min) {
                    errors.add(new Converted.RowError(row.number(), column, "must be " + min + " or more, was " + parsed));
                }
                return parsed;
            } catch (NumberFormatException e) {
                errors.add(new Converted.RowError(row.number(), column, "must be a whole number, was '" + value + "'"));
                return 0;
            }
        }

        BigDecimal price(String column) {
            String value = row.columns().getOrDefault(column, "").trim();
            try {
                BigDecimal parsed = new BigDecimal(value);
                if (parsed.signum() < 0 || parsed.stripTrailingZeros().scale() > 4) {
                    errors.add(new Converted.RowError(row.number(), column, "must be 0 or more with at most 4 decimals, was " + value));
                }
                return parsed;
            } catch (NumberFormatException e) {
                errors.add(new Converted.RowError(row.number(), column, "must be a decimal amount, was '" + value + "'"));
                return BigDecimal.ZERO;
            }
        }

        String currency(String column) {
            String value = row.columns().getOrDefault(column, "").trim();
            if (!value.matches("[A-Z]{3}")) {
                errors.add(new Converted.RowError(row.number(), column, "must be an ISO 4217 code such as EUR, was '" + value + "'"));
            }
            return value;
        }

        Instant instant(String column) {
            String value = row.columns().getOrDefault(column, "").trim();
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                errors.add(new Converted.RowError(row.number(), column, "must be an ISO-8601 instant such as 2026-11-23T09:15:00Z, was '" + value + "'"));
                return Instant.EPOCH;
            }
        }

        void knownSku(SkuCatalog catalog, String column, String sku) {
            if (!sku.isEmpty() && !catalog.knows(sku)) {
                errors.add(new Converted.RowError(row.number(), column, "unknown SKU '" + sku + "'"));
            }
        }
    }
}
