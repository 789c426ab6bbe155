package dev.omnistock.ingestion.api;

import dev.omnistock.config.RoleKeys;
import java.util.Optional;

/**
 * The ingestion API's keys, each held by a sender: a channel's ("WEB:key", which sends WEB events
 * only), a warehouse's ("WAREHOUSE:key") or an admin's ("ADMIN:key"). What each may do is
 * {@link Permission}'s. Read from INGESTION_API_KEYS, from the environment only; held hashed.
 */
public final class ApiKeys {

    public static final String ENV = "INGESTION_API_KEYS";

    private final RoleKeys<Sender> keys;

    private ApiKeys(RoleKeys<Sender> keys) {
        this.keys = keys;
    }

    /** @param spec "CHANNEL:key,WAREHOUSE:key,ADMIN:key" */
    public static ApiKeys parse(String spec) {
        RoleKeys<Sender> keys = RoleKeys.parse(ENV, spec, Sender::named, Optional.empty());
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(ENV + " is empty: give every channel that sends events a key, e.g. WEB:s3cret");
        }
        return new ApiKeys(keys);
    }

    public Optional<Sender> senderOf(String presentedKey) {
        return keys.roleOf(presentedKey);
    }
}
