package dev.omnistock.dashboard.queries;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A query of the SQL pack: its SQL with {@code ?} placeholders, the parameter behind each placeholder
 * (a name may stand for several), and how wide a time range it may be asked for.
 */
public record NamedQuery(String name, String description, String sql, List<Parameter> placeholders, Duration maxRange) {

    /** The distinct parameters a caller gives, in their first order. */
    public List<Parameter> parameters() {
        Set<Parameter> distinct = new LinkedHashSet<>(placeholders);
        return List.copyOf(distinct);
    }

    /**
     * The value of each placeholder, in order, from a caller's named values.
     *
     * @throws InvalidParameters naming every parameter at fault, unknown names included
     */
    public List<Object> bind(Map<String, String> given) {
        Map<String, String> problems = new LinkedHashMap<>();
        Map<String, Object> values = new LinkedHashMap<>();
        for (String name : given.keySet()) {
            if (parameters().stream().noneMatch(p -> p.name().equals(name))) {
                problems.put(name, "is not a parameter of " + this.name + " (it takes " + names() + ")");
            }
        }
        for (Parameter parameter : parameters()) {
            Parameter.Result result = parameter.parse(Optional.ofNullable(given.get(parameter.name())));
            if (result.accepted()) {
                values.put(parameter.name(), result.value());
            } else {
                problems.put(parameter.name(), result.problem());
            }
        }
        if (values.get("from") instanceof Long from && values.get("to") instanceof Long to) {
            if (to <= from) {
                problems.put("to", "must be after from");
            } else if (to - from > maxRange.toMillis()) {
                problems.put("to", "the range may span at most " + maxRange.toHours() + " hours for " + name + ", not " + (to - from) / 3_600_000 + " hours");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidParameters(name, problems);
        }
        List<Object> bound = new ArrayList<>();
        for (Parameter placeholder : placeholders) {
            bound.add(values.get(placeholder.name()));
        }
        return bound;
    }

    private String names() {
        List<String> names = parameters().stream().map(Parameter::name).toList();
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    /** The parameters a caller got wrong, each with what it should be. */
    public static final class InvalidParameters extends IllegalArgumentException {
        private final Map<String, String> problems;

        InvalidParameters(String query, Map<String, String> problems) {
            super(problems.size() + " parameter(s) of " + query + " are invalid");
            this.problems = Map.copyOf(problems);
        }

        public Map<String, String> problems() {
            return problems;
        }
    }
}
