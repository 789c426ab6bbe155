package dev.omnistock.dashboard.queries;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The SQL pack (infra/clickhouse/queries, on the classpath under clickhouse/queries), read once at start. */
public final class QueryPack {

    static final Duration DEFAULT_MAX_RANGE = Duration.ofDays(31);
    private static final String ROOT = "/clickhouse/queries/";

    private final Map<String, NamedQuery> queries;

    private QueryPack(Map<String, NamedQuery> queries) {
        this.queries = queries;
    }

    public static QueryPack load() {
        Map<String, NamedQuery> queries = new LinkedHashMap<>();
        for (String line : read("QUERIES").split("\n")) {
            String name = line.trim();
            if (!name.isEmpty() && !name.startsWith("#")) {
                queries.put(name, parse(name, read(name + ".sql")));
            }
        }
        return new QueryPack(queries);
    }

    public Optional<NamedQuery> find(String name) {
        return Optional.ofNullable(queries.get(name));
    }

    public List<NamedQuery> all() {
        return List.copyOf(queries.values());
    }

    /** Reads the header: the first comment lines describe it, {@code -- params:} and {@code -- max-range-hours:} type it. */
    static NamedQuery parse(String name, String sql) {
        List<Parameter> placeholders = null;
        Duration maxRange = DEFAULT_MAX_RANGE;
        StringBuilder description = new StringBuilder();
        for (String line : sql.split("\n")) {
            if (!line.startsWith("--")) {
                break;
            }
            String comment = line.substring(2).trim();
            if (comment.startsWith("params:")) {
                placeholders = new ArrayList<>();
                for (String token : comment.substring("params:".length()).trim().split("\\s+")) {
                    if (!token.isEmpty()) {
                        String[] parts = token.split(":");
                        if (parts.length != 2) {
                            throw new IllegalStateException(name + ".sql: parameter '" + token + "' is not name:type");
                        }
                        placeholders.add(new Parameter(parts[0], Parameter.Kind.valueOf(parts[1].toUpperCase(java.util.Locale.ROOT))));
                    }
                }
            } else if (comment.startsWith("max-range-hours:")) {
                maxRange = Duration.ofHours(Long.parseLong(comment.substring("max-range-hours:".length()).trim()));
            } else {
                description.append(description.length() == 0 ? "" : " ").append(comment);
            }
        }
        if (placeholders == null) {
            throw new IllegalStateException(name + ".sql has no '-- params:' line (write '-- params:' alone for none)");
        }
        long marks = sql.lines().filter(l -> !l.startsWith("--")).mapToLong(l -> l.chars().filter(c -> c == '?').count()).sum();
        if (marks != placeholders.size()) {
            throw new IllegalStateException(name + ".sql has " + marks + " '?' but its params line names " + placeholders.size());
        }
        return new NamedQuery(name, description.toString(), sql, List.copyOf(placeholders), maxRange);
    }

    private static String read(String file) {
        try (InputStream in = QueryPack.class.getResourceAsStream(ROOT + file)) {
            if (in == null) {
                throw new IllegalStateException("No " + file + " in the SQL pack on the classpath (" + ROOT + ")");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file + " of the SQL pack", e);
        }
    }

    @Override
    public String toString() {
        return "QueryPack" + Arrays.toString(queries.keySet().toArray());
    }
}
