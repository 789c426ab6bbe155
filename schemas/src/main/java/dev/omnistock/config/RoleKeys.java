package dev.omnistock.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * An HTTP API's keys, each held by a role (who the caller is), from a setting such as
 * "WEB:k1,AGENT:k2,k3": an entry starting with a role the API knows and ':' is that role's key, any
 * other entry a plain key (where the API takes plain keys). One key per client, so that one can be
 * revoked alone. Read from the environment only; held hashed.
 *
 * @param <R> the API's roles
 */
public final class RoleKeys<R> {

    private final Map<String, R> roleByKeyHash;

    private RoleKeys(Map<String, R> roleByKeyHash) {
        this.roleByKeyHash = Map.copyOf(roleByKeyHash);
    }

    /**
     * @param setting the setting's name, for errors
     * @param roleOf  the role a prefix names, empty when the prefix is no role
     * @param plain   the role of a plain key; empty when the API takes none
     */
    public static <R> RoleKeys<R> parse(String setting, String spec, Function<String, Optional<R>> roleOf, Optional<R> plain) {
        Map<String, R> keys = new HashMap<>();
        for (String raw : spec.split(",")) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int colon = entry.indexOf(':');
            Optional<R> named = colon > 0 ? roleOf.apply(entry.substring(0, colon).trim()) : Optional.empty();
            String key = named.isPresent() ? entry.substring(colon + 1).trim() : entry;
            R role = named.or(() -> plain).orElseThrow(() -> new IllegalArgumentException(setting + ": '"
                    + (colon > 0 ? entry.substring(0, colon).trim() : "(no role)") + "' is not a role; entries look like ROLE:key, e.g. WEB:s3cret"));
            if (key.isEmpty()) {
                throw new IllegalArgumentException(setting + ": an entry for " + role + " has no key");
            }
            if (keys.put(hash(key), role) != null) {
                throw new IllegalArgumentException(setting + ": a key appears twice; give every client a key of its own");
            }
        }
        return new RoleKeys<>(keys);
    }

    public boolean isEmpty() {
        return roleByKeyHash.isEmpty();
    }

    /** The role holding the presented key; empty for no key or an unknown one. */
    public Optional<R> roleOf(String presented) {
        return presented == null ? Optional.empty() : Optional.ofNullable(roleByKeyHash.get(hash(presented)));
    }

    @Override
    public String toString() {
        return "RoleKeys[" + roleByKeyHash.size() + " keys]";
    }

    /**
     * What identifies a key without being it: the scope in which a client's Idempotency-Keys are its own,
     * so that two systems of one role (two warehouses, two admins) never answer each other's requests.
     */
    public static String fingerprint(String key) {
        return hash(key);
    }

    private static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
