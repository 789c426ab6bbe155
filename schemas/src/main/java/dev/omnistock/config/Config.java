package dev.omnistock.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads settings by their environment-variable name. A JVM system property of the same name wins
 * over the environment, except for secrets, which are read from the environment only so that they
 * never sit on a command line or in a process listing.
 */
public final class Config {

    private final Map<String, String> environment;
    private final Map<String, String> properties;

    private Config(Map<String, String> environment, Map<String, String> properties) {
        this.environment = Map.copyOf(environment);
        this.properties = Map.copyOf(properties);
    }

    public static Config fromEnvironment() {
        Map<String, String> props = new HashMap<>();
        System.getProperties().forEach((k, v) -> props.put(String.valueOf(k), String.valueOf(v)));
        return new Config(System.getenv(), props);
    }

    /** For tests and embedding: the given map plays the environment. */
    public static Config of(Map<String, String> environment) {
        return new Config(environment, Map.of());
    }

    public Optional<String> find(String name) {
        String value = properties.get(name);
        if (value == null) {
            value = environment.get(name);
        }
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }

    public String get(String name, String defaultValue) {
        return find(name).orElse(defaultValue);
    }

    public int getInt(String name, int defaultValue) {
        Optional<String> value = find(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.get().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, but is '" + value.get() + "'", e);
        }
    }

    /** A password, token or JAAS line: from the environment only. */
    public Optional<String> secret(String name) {
        return Optional.ofNullable(environment.get(name)).filter(v -> !v.isEmpty());
    }
}
