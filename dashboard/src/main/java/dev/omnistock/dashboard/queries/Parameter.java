package dev.omnistock.dashboard.queries;

import java.util.Optional;
import java.util.regex.Pattern;

/** One named parameter of a query in the SQL pack, with the values its type allows. */
public record Parameter(String name, Kind kind) {

    /** The types a {@code -- params:} line may give. */
    public enum Kind {
        /** Epoch milliseconds, from 1970 up to 2100. */
        TIME,
        /** How many rows: 1 to {@link #MAX_ROWS}. */
        INT,
        /** A SKU, location, channel or alert kind; empty means any. */
        TEXT
    }

    public static final int MAX_ROWS = 1000;
    private static final long YEAR_2100 = 4_102_444_800_000L;
    private static final Pattern TEXT = Pattern.compile("[A-Za-z0-9._:/*-]{0,100}");

    /** The value for {@code given} (absent: a text parameter is empty, others are required), or why it is refused. */
    public Result parse(Optional<String> given) {
        if (given.isEmpty()) {
            return kind == Kind.TEXT ? Result.ok("") : Result.refused("is required (" + describe() + ")");
        }
        String raw = given.get().trim();
        return switch (kind) {
            case TIME -> whole(raw).filter(v -> v >= 0 && v <= YEAR_2100).map(v -> Result.ok((Object) v))
                    .orElseGet(() -> Result.refused("must be " + describe() + ", not '" + shorten(raw) + "'"));
            case INT -> whole(raw).filter(v -> v >= 1 && v <= MAX_ROWS).map(v -> Result.ok((Object) v.intValue()))
                    .orElseGet(() -> Result.refused("must be " + describe() + ", not '" + shorten(raw) + "'"));
            case TEXT -> TEXT.matcher(raw).matches() ? Result.ok(raw) : Result.refused("must be " + describe());
        };
    }

    public String describe() {
        return switch (kind) {
            case TIME -> "epoch milliseconds";
            case INT -> "a whole number from 1 to " + MAX_ROWS;
            case TEXT -> "up to 100 letters, digits and . _ : / - *, or empty for any";
        };
    }

    private static Optional<Long> whole(String raw) {
        try {
            return Optional.of(Long.parseLong(raw));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String shorten(String raw) {
        return raw.length() <= 40 ? raw : raw.substring(0, 40) + "…";
    }

    /** A parsed value, or the reason it was refused. */
    public record Result(Object value, String problem) {
        static Result ok(Object value) {
            return new Result(value, null);
        }

        static Result refused(String problem) {
            return new Result(null, problem);
        }

        public boolean accepted() {
            return problem == null;
        }
    }
}
