package dev.omnistock.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * An HTTP API's plain keys, e.g. from NOTIFY_API_KEYS ("key1,key2": one per client, so that one can be
 * revoked alone), from the environment only, held hashed. With no keys the API is open, which the
 * service allows only on a loopback address.
 */
public final class ApiKeys {

    private final RoleKeys<Boolean> keys;

    private ApiKeys(RoleKeys<Boolean> keys) {
        this.keys = keys;
    }

    public static ApiKeys parse(String spec) {
        return new ApiKeys(RoleKeys.parse("API keys", spec, prefix -> Optional.empty(), Optional.of(Boolean.TRUE)));
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /** True when no key is configured (a loopback-only API) or the presented key is one of them. */
    public boolean admits(String presented) {
        return keys.isEmpty() || keys.roleOf(presented).isPresent();
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
        return "ApiKeys[" + keys + "]";
    }
}
