package dev.omnistock.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An HTTP API's keys, e.g. from INVENTORY_API_KEYS ("key1,key2": one per client, so that one can be
 * revoked alone), from the environment only, held hashed. With no keys the API is open, which the
 * service allows only on a loopback address.
 */
public final class ApiKeys {

    private final Set<String> keyHashes;

    private ApiKeys(Set<String> keyHashes) {
        this.keyHashes = Set.copyOf(keyHashes);
    }

    public static ApiKeys parse(String spec) {
        return new ApiKeys(Arrays.stream(spec.split(",")).map(String::trim).filter(k -> !k.isEmpty())
                .map(ApiKeys::hash).collect(Collectors.toSet()));
    }

    public boolean isEmpty() {
        return keyHashes.isEmpty();
    }

    /** True when no key is configured (a loopback-only API) or the presented key is one of them. */
    public boolean admits(String presented) {
        return keyHashes.isEmpty() || (presented != null && keyHashes.contains(hash(presented)));
    }

    /** Whether an address is reachable from this machine only. */
    public static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "ApiKeys[" + keyHashes.size() + " keys]";
    }

    private static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
