package dev.omnistock.config;

import java.lang.reflect.RecordComponent;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeMap;

/** Writes settings for logs without their secrets: a record's toString() with every secret replaced. */
public final class Redaction {

    public static final String REDACTED = "[redacted]";

    private Redaction() {
    }

    /** Whether a client-config key holds a secret (passwords, JAAS lines, basic-auth user info, keys, tokens). */
    public static boolean isSecretKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("jaas") || k.contains("user.info") || k.contains("secret")
                || k.contains("token") || k.endsWith(".key") || k.contains("api_keys");
    }

    /** A client config with its secrets' values redacted. */
    public static Map<String, Object> redact(Map<String, ?> config) {
        Map<String, Object> copy = new TreeMap<>();
        config.forEach((key, value) -> copy.put(key, isSecretKey(key) && value != null ? REDACTED : value));
        return copy;
    }

    /** A secret for a log: whether it is set, never what it is. */
    public static String secret(Optional<?> value) {
        return value.isPresent() ? REDACTED : "(none)";
    }

    /** A record as its generated toString() writes it, but with client-config maps redacted. */
    public static String describe(Record record) {
        StringJoiner fields = new StringJoiner(", ", record.getClass().getSimpleName() + "[", "]");
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            Object value;
            try {
                value = component.getAccessor().invoke(record);
            } catch (ReflectiveOperationException e) {
                value = "?";
            }
            if (value instanceof Map<?, ?> map) {
                Map<String, Object> asStrings = new TreeMap<>();
                map.forEach((k, v) -> asStrings.put(String.valueOf(k), v));
                value = redact(asStrings);
            }
            fields.add(component.getName() + "=" + value);
        }
        return fields.toString();
    }
}
