package dev.omnistock.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * A component's settings, read from {@link Config} against their definitions (Kafka's {@link ConfigDef}:
 * type, default, allowed values, meaning). A value of the wrong type or out of range fails at start with
 * the variable's name and what it allows, instead of being read as something else.
 */
public final class Settings {

    private final Map<String, Object> values;

    private Settings(Map<String, Object> values) {
        this.values = values;
    }

    /** @throws IllegalArgumentException naming the first setting whose value the definitions do not allow */
    public static Settings read(ConfigDef definitions, Config config) {
        Map<String, String> given = new HashMap<>();
        for (String name : definitions.names()) {
            config.find(name).ifPresent(value -> given.put(name, value.trim()));
        }
        try {
            return new Settings(definitions.parse(given));
        } catch (ConfigException e) {
            throw new IllegalArgumentException("Setting rejected: " + e.getMessage()
                    + " (set it as an environment variable or -D property; see the README's configuration table)", e);
        }
    }

    public String string(String name) {
        return (String) value(name);
    }

    public Optional<String> optional(String name) {
        return Optional.ofNullable((String) value(name)).filter(v -> !v.isBlank());
    }

    public int integer(String name) {
        return (Integer) value(name);
    }

    public long longValue(String name) {
        return (Long) value(name);
    }

    public boolean bool(String name) {
        return (Boolean) value(name);
    }

    @SuppressWarnings("unchecked")
    public List<String> list(String name) {
        List<String> list = (List<String>) value(name);
        return list == null ? List.of() : list.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private Object value(String name) {
        if (!values.containsKey(name)) {
            throw new IllegalArgumentException(name + " is not among the definitions this component read");
        }
        return values.get(name);
    }
}
